// Script: one generated conversation with an echo server, as data. A script
// is a list of typed steps over channels: TCP connections and UDP sockets,
// each opened by its first step (connect, socket). The live fuzzer generates
// scripts (generate.h), runs them (executor.h), judges what came back
// (verdict.h), shrinks failing ones (shrink.h) and saves them as text
// (script_text.h) that `echo-conformance replay` runs again.
//
// A payload is a concatenation of pieces: literal bytes repeated a number of
// times ("\x00" x 65536), or a seeded run of pseudo-random bytes (random(7,
// 4096): the first 4,096 bytes of PayloadStream(7, 0)), so a payload of
// several MiB stays a few characters of text and is generated on demand
// (random(7, 100, 4000): bytes 4,000-4,099 of that stream, as shrinking leaves them).
//
// Example (one connection sending a NUL, then half-closing):
//   Script s;
//   s.steps.push_back(Step::connect(0));
//   s.steps.push_back(Step::send(0, Payload::text("a\0b")));
//   s.steps.push_back(Step::shutdown(0));
//   if (Status ok = validate(s); !ok) ...;  // "step 2: ..."
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace echo::conformance::explore {

using Bytes = std::vector<std::byte>;

// Bounds every script obeys (validate() checks them), so that a script read
// from a file cannot make the fuzzer hang or exhaust memory.
inline constexpr std::size_t kMaxSteps = 4096;
inline constexpr std::size_t kMaxChannels = 64;
inline constexpr std::uint64_t kMaxScriptBytes = 64ull << 20;  // payload bytes, all steps
inline constexpr std::uint64_t kMaxDatagram = 65507;
inline constexpr std::uint32_t kMaxBurst = 256;
inline constexpr std::chrono::milliseconds kMaxPause{200};
inline constexpr std::uint32_t kMaxTrickle = 65536;  // bytes per read when trickling
inline constexpr std::uint64_t kMaxRandomOffset = 1ull << 40;

// A run of payload bytes.
struct Piece {
  enum class Kind {
    kText,    // `text` repeated `repeat` times
    kRandom,  // bytes offset .. offset + length - 1 of PayloadStream(seed, 0)
  };
  Kind kind = Kind::kText;
  Bytes text;
  std::uint64_t repeat = 1;
  std::uint64_t seed = 0;
  std::uint64_t length = 0;
  std::uint64_t offset = 0;

  [[nodiscard]] static Piece literal(std::string_view bytes, std::uint64_t repeat = 1);
  [[nodiscard]] static Piece random(std::uint64_t seed, std::uint64_t length,
                                    std::uint64_t offset = 0);
  [[nodiscard]] std::uint64_t size() const noexcept;
  friend bool operator==(const Piece&, const Piece&) = default;
};

// The bytes of one send (a TCP write or one datagram).
struct Payload {
  std::vector<Piece> pieces;

  [[nodiscard]] static Payload text(std::string_view bytes);
  [[nodiscard]] std::uint64_t size() const noexcept;
  // Writes bytes offset .. offset + into.size() - 1 (all below size()).
  void fill(std::uint64_t offset, std::span<std::byte> into) const noexcept;
  // All of it, for payloads small enough to hold (datagrams, tests).
  [[nodiscard]] Bytes bytes() const;
  friend bool operator==(const Payload&, const Payload&) = default;
};

using ChannelId = std::uint32_t;

struct Step {
  enum class Kind {
    kConnect,   // open TCP connection `channel` (waits until connected)
    kSocket,    // open UDP socket `channel` (unconnected: replies from any source are seen)
    kSend,      // TCP: one write of `payload` (waits until the kernel took all of it);
                // UDP: one datagram of `payload`
    kBurst,     // UDP: `count` datagrams of `payload`, back to back
    kPause,     // wait `duration`; every channel keeps reading meanwhile
    kHold,      // TCP: read nothing on `channel` for `duration` (the script goes on)
    kTrickle,   // TCP: for `duration`, read at most `count` bytes a millisecond on `channel`
    kShutdown,  // TCP: half-close (SHUT_WR); the echo is still awaited
    kClose,     // TCP: close now; what came back so far must be a correct prefix
    kReset,     // TCP: close with RST (SO_LINGER 0) now; as close
  };
  Kind kind = Kind::kPause;
  ChannelId channel = 0;  // unused by kPause
  Payload payload;
  std::uint32_t count = 0;
  std::chrono::milliseconds duration{0};

  [[nodiscard]] static Step connect(ChannelId channel);
  [[nodiscard]] static Step socket(ChannelId channel);
  [[nodiscard]] static Step send(ChannelId channel, Payload payload);
  [[nodiscard]] static Step burst(ChannelId channel, std::uint32_t count, Payload payload);
  [[nodiscard]] static Step pause(std::chrono::milliseconds duration);
  [[nodiscard]] static Step hold(ChannelId channel, std::chrono::milliseconds duration);
  [[nodiscard]] static Step trickle(ChannelId channel, std::uint32_t bytes_per_ms,
                                    std::chrono::milliseconds duration);
  [[nodiscard]] static Step shutdown(ChannelId channel);
  [[nodiscard]] static Step close(ChannelId channel);
  [[nodiscard]] static Step reset(ChannelId channel);

  [[nodiscard]] bool uses_channel() const noexcept { return kind != Kind::kPause; }
  [[nodiscard]] bool opens_channel() const noexcept {
    return kind == Kind::kConnect || kind == Kind::kSocket;
  }
  // Payload bytes this step sends (a burst counts every datagram).
  [[nodiscard]] std::uint64_t bytes() const noexcept;
  friend bool operator==(const Step&, const Step&) = default;
};

struct Script {
  std::vector<Step> steps;

  // Channels are numbered 0 .. channel_count() - 1 in the order they are opened
  // once canonical (see canonical()).
  [[nodiscard]] std::size_t channel_count() const noexcept;
  [[nodiscard]] std::uint64_t bytes() const noexcept;  // payload bytes of every step
  friend bool operator==(const Script&, const Script&) = default;
};

[[nodiscard]] bool is_tcp(Step::Kind opening) noexcept;  // kConnect: TCP, kSocket: UDP

// Whether every step fits the model: each channel is opened once, before any
// other step on it, by connect (TCP) or socket (UDP); steps fit their
// channel's transport (burst only on UDP; hold, trickle, shutdown, close and
// reset only on TCP); nothing follows close or reset on a channel, and no send
// follows shutdown; the bounds above hold (datagrams, bursts, pauses, steps,
// channels, bytes). An error names the step: "step 3 (send c1): ...", and its
// index goes to `failing_step` when given.
[[nodiscard]] Status validate(const Script& script, std::size_t* failing_step = nullptr);

// The same script with channels renumbered 0, 1, 2 ... in the order of their
// first step (what the parser produces; the shrinker keeps scripts canonical).
[[nodiscard]] Script canonical(Script script);

// Each channel's name by id, as the text format writes it: "c1", "c2", ...
// for TCP connections and "u1", ... for UDP sockets, in the order they are
// opened ("" for an id no step opens).
[[nodiscard]] std::vector<std::string> channel_names(const Script& script);

// The script without any step on `channel` (channels renumbered).
[[nodiscard]] Script without_channel(const Script& script, ChannelId channel);

}  // namespace echo::conformance::explore
