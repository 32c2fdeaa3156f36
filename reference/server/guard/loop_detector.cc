#include "reference/server/guard/loop_detector.h"

#include <algorithm>

namespace echo::server {

LoopDetector::LoopDetector(const LoopDetectorConfig& config, std::size_t capacity,
                           std::uint64_t seed)
    : window_ns_(config.window.count()),
      streak_(std::max<std::uint32_t>(1, config.streak)),
      table_(capacity, seed) {}

std::uint32_t LoopDetector::fingerprint(std::span<const std::byte> bytes,
                                        std::uint64_t seed) noexcept {
  constexpr std::size_t kEdge = 128;
  const std::size_t head = std::min(kEdge, bytes.size());
  const std::size_t tail = std::min(kEdge, bytes.size() - head);
  const std::uint64_t h =
      seeded_hash_bytes(bytes.data(), head, seed + bytes.size() * 0x9E3779B97F4A7C15ull);
  return static_cast<std::uint32_t>(seeded_hash_bytes(bytes.data() + bytes.size() - tail, tail, h));
}

bool LoopDetector::returned_again(const PeerKey& peer, std::uint32_t print,
                                  std::chrono::nanoseconds now) noexcept {
  Record* record = table_.find(peer);
  if (record == nullptr) return false;
  const auto remembered = std::span(record->prints).first(record->used);
  const bool returned = now.count() - record->last_reply_ns <= window_ns_ &&
                        std::find(remembered.begin(), remembered.end(), print) != remembered.end();
  if (!returned) {
    record->streak = 0;
    return false;
  }
  if (record->streak < streak_) ++record->streak;
  return record->streak >= streak_;
}

void LoopDetector::replied(const PeerKey& peer, std::uint32_t print, std::chrono::nanoseconds now) {
  const std::int64_t now_ns = now.count();
  const std::int64_t window = window_ns_;
  Record* record =
      table_
          .find_or_insert(
              peer, [now_ns, window](const Record& r) { return r.last_reply_ns + window - now_ns; })
          .first;
  record->last_reply_ns = now_ns;
  record->prints[record->next] = print;
  record->next = static_cast<std::uint8_t>((record->next + 1) % kRemembered);
  if (record->used < kRemembered) ++record->used;
}

}  // namespace echo::server
