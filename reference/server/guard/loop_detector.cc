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
  if (bytes.size() <= 2 * kEdge) {  // all of it, in one pass (the hash takes the length in)
    return static_cast<std::uint32_t>(seeded_hash_bytes(bytes.data(), bytes.size(), seed));
  }
  const std::uint64_t head = seeded_hash_bytes(bytes.data(), kEdge, seed + bytes.size());
  return static_cast<std::uint32_t>(
      seeded_hash_bytes(bytes.data() + bytes.size() - kEdge, kEdge, head));
}

bool LoopDetector::answer(const PeerKey& peer, std::uint32_t print, std::chrono::nanoseconds now) {
  const std::int64_t now_ns = now.count();
  Record* record = last_;
  if (record == nullptr || !(record->peer == peer)) {
    const std::int64_t window = window_ns_;
    auto [found, fresh] = table_.find_or_insert(
        peer, [now_ns, window](const Record& r) { return r.last_reply_ns + window - now_ns; });
    record = found;
    if (fresh) record->peer = peer;
    last_ = record;
  }
  const auto remembered = std::span(record->prints).first(record->used);
  const bool returned = record->used > 0 && now_ns - record->last_reply_ns <= window_ns_ &&
                        std::find(remembered.begin(), remembered.end(), print) != remembered.end();
  if (!returned) {
    record->streak = 0;
  } else if (++record->streak >= streak_) {
    record->streak = streak_;
    return false;
  }
  record->last_reply_ns = now_ns;
  record->prints[record->next] = print;
  record->next = static_cast<std::uint8_t>((record->next + 1) % kRemembered);
  if (record->used < kRemembered) ++record->used;
  return true;
}

}  // namespace echo::server
