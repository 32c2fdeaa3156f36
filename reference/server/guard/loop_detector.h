// Detects an echo loop by its one unmistakable sign: what arrives from a peer
// is what this server has just sent to that peer, again and again. Two echo
// servers on unrelated ports, started by one spoofed datagram, bounce it
// between them; the port rules (source_policy.h) cannot see that, since both
// ports look like any client's.
//
// For each peer (address and port) the detector keeps the fingerprints of the
// last kRemembered replies sent to it and when the last one left. A datagram
// from that peer whose fingerprint is among them, arriving within `window` of
// the last reply, is a returned echo; `streak` returned echoes in a row are a
// loop, and from then on the returned echoes are not answered (a datagram
// that is not one ends the streak). So each of two looping servers answers
// `streak` times at most, and the loop dies with its datagram. Up to
// kRemembered datagrams in flight are recognised; an attacker who starts more
// loops at once than that is left to the rate limit (rate_limiter.h).
//
// What it costs a client: one that sends the same bytes again within `window`
// of their echo, `streak` times in a row, loses the last of them (a client
// with sequence numbers, timestamps or random payloads never matches). Loops
// slower than `window` (long round trips) are not detected; they are also
// slow: one datagram per round trip.
//
// Sans-I/O: time and fingerprints are passed in. Per-peer state lives in a
// BoundedTable (fixed memory).
//
// Example:
//   LoopDetector loops({.window = 50ms, .streak = 3}, 1024, seed);
//   const auto print = LoopDetector::fingerprint(bytes, seed);
//   if (loops.returned_again(peer, print, now)) drop(); else { reply(); loops.replied(peer, print,
//   now); }
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "reference/server/guard/bounded_table.h"
#include "reference/server/guard/source.h"

namespace echo::server {

struct LoopDetectorConfig {
  std::chrono::nanoseconds window{std::chrono::milliseconds(50)};
  std::uint32_t streak = 3;  // returned echoes in a row that make a loop (>= 1)
};

class LoopDetector {
 public:
  static constexpr std::size_t kRemembered = 8;
  static constexpr std::size_t kDefaultCapacity = 1024;

  LoopDetector(const LoopDetectorConfig& config, std::size_t capacity, std::uint64_t seed);

  // A fingerprint of a datagram's bytes: its length and at most its first and
  // last 128 bytes (a fixed cost for any size).
  [[nodiscard]] static std::uint32_t fingerprint(std::span<const std::byte> bytes,
                                                 std::uint64_t seed) noexcept;

  // For every datagram otherwise about to be answered: false if it is a
  // returned echo that completes (or continues) a streak, i.e. a loop; true
  // if it is to be answered, and then it is remembered as sent to `peer`.
  [[nodiscard]] bool answer(const PeerKey& peer, std::uint32_t print, std::chrono::nanoseconds now);

 private:
  struct Record {
    PeerKey peer;  // whose record it is (the table's key, kept for the memo below)
    std::int64_t last_reply_ns = 0;
    std::array<std::uint32_t, kRemembered> prints{};
    std::uint8_t used = 0;  // prints[0, used) are valid
    std::uint8_t next = 0;  // where the next print goes
    std::uint32_t streak = 0;
  };

  std::int64_t window_ns_;
  std::uint32_t streak_;
  BoundedTable<PeerKey, Record> table_;
  Record* last_ = nullptr;  // the last peer's record, if its slot still holds that peer
};

}  // namespace echo::server
