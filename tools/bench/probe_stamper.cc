#include "tools/bench/probe_stamper.h"

#include <cstring>

#include "core/codec/crc32c.h"
#include "core/codec/probe_record.h"

namespace echo::bench {
namespace {

// The raw CRC-32C register (no pre/post inversion) after `data` from `state`.
std::uint32_t raw_crc(std::uint32_t state, std::span<const std::byte> data) noexcept {
  return ~crc32c_extend(~state, data);
}

void put_be(std::byte* out, std::uint64_t value, int bytes) noexcept {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<std::byte>(value & 0xFF);
    value >>= 8;
  }
}

std::uint64_t get_be(const std::byte* in, int bytes) noexcept {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | std::to_integer<std::uint64_t>(in[i]);
  return value;
}

}  // namespace

ProbeStamper::ProbeStamper(std::vector<std::byte> payload) : payload_(std::move(payload)) {
  payload_raw_crc_ = raw_crc(0, payload_);
  // Column i of A^n is the raw CRC of n zero bytes from the state with only bit i set.
  const std::vector<std::byte> zeros(payload_.size());
  std::array<std::uint32_t, 32> column{};
  for (int bit = 0; bit < 32; ++bit) column[bit] = raw_crc(std::uint32_t{1} << bit, zeros);
  for (int part = 0; part < 4; ++part) {
    for (std::uint32_t value = 0; value < 256; ++value) {
      std::uint32_t image = 0;
      for (int bit = 0; bit < 8; ++bit) {
        if (value & (1u << bit)) image ^= column[part * 8 + bit];
      }
      shift_[part][value] = image;
    }
  }
}

std::size_t ProbeStamper::record_size() const noexcept {
  return probe_record_size(payload_.size());
}

std::uint32_t ProbeStamper::checksum(std::span<const std::byte> header) const noexcept {
  const std::uint32_t state = raw_crc(~0u, header.first(kProbeHeaderSize));
  const std::uint32_t shifted = shift_[0][state & 0xFF] ^ shift_[1][(state >> 8) & 0xFF] ^
                                shift_[2][(state >> 16) & 0xFF] ^ shift_[3][state >> 24];
  return ~(shifted ^ payload_raw_crc_);
}

void ProbeStamper::fill(std::span<std::byte> record) const {
  put_be(record.data(), kProbeMagic, 4);
  put_be(record.data() + 20, payload_.size(), 4);
  if (!payload_.empty()) {
    std::memcpy(record.data() + kProbeHeaderSize, payload_.data(), payload_.size());
  }
  stamp(record, 0, 0);
}

void ProbeStamper::stamp(std::span<std::byte> record, std::uint64_t sequence,
                         std::uint64_t send_time_ns) const noexcept {
  put_be(record.data() + 4, sequence, 8);
  put_be(record.data() + 12, send_time_ns, 8);
  put_be(record.data() + kProbeHeaderSize + payload_.size(), checksum(record), 4);
}

bool ProbeStamper::is_intact(std::span<const std::byte> record) const noexcept {
  if (record.size() != record_size()) return false;
  if (get_be(record.data(), 4) != kProbeMagic) return false;
  if (get_be(record.data() + 20, 4) != payload_.size()) return false;
  if (!payload_.empty() &&
      std::memcmp(record.data() + kProbeHeaderSize, payload_.data(), payload_.size()) != 0) {
    return false;
  }
  return get_be(record.data() + kProbeHeaderSize + payload_.size(), 4) == checksum(record);
}

std::vector<std::byte> payload_for_size(std::size_t record_size) {
  const std::size_t overhead = kProbeHeaderSize + kProbeTrailerSize;
  std::vector<std::byte> payload(record_size > overhead ? record_size - overhead : 0);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    payload[i] = static_cast<std::byte>('a' + (i * 7 + i / 26) % 26);
  }
  return payload;
}

std::uint64_t record_sequence(std::span<const std::byte> record) noexcept {
  return get_be(record.data() + 4, 8);
}

std::uint64_t record_time(std::span<const std::byte> record) noexcept {
  return get_be(record.data() + 12, 8);
}

}  // namespace echo::bench
