#include "conformance/record/fuzz_inputs.h"

#include <algorithm>

namespace echo::conformance {
namespace {

// stream_verifier_fuzzer's operations (fuzz/stream_verifier_fuzzer.cc).
enum Op : std::uint8_t { kEcho = 0, kInsert = 1, kCorrupt = 3, kBoundary = 4 };
constexpr std::size_t kMaxEcho = 19999;  // it takes n % 20000
constexpr std::size_t kMaxInsert = 63;   // it takes n % 64 bytes
constexpr std::size_t kMaxLength = 0xFFFF;

void put_u16(Bytes& out, std::size_t value) {
  out.push_back(static_cast<std::byte>(value >> 8 & 0xff));
  out.push_back(static_cast<std::byte>(value & 0xff));
}

void put_op(Bytes& out, Op op, std::size_t n) {
  out.push_back(static_cast<std::byte>(op));
  put_u16(out, n);
}

// Ops for received[from, to): all of it is in the expected range.
void encode_in_range(Bytes& out, const RecordedStream& s, std::size_t from, std::size_t to) {
  while (from < to) {
    if (s.received[from] != s.expected[from]) {
      // The fuzzer XORs the expected byte with (n | 1): still a wrong byte.
      put_op(out, kCorrupt, static_cast<std::size_t>(s.received[from] ^ s.expected[from]));
      ++from;
      continue;
    }
    std::size_t run = 0;
    while (from + run < to && run < kMaxEcho && s.received[from + run] == s.expected[from + run]) {
      ++run;
    }
    put_op(out, kEcho, run);
    from += run;
  }
}

void encode_extra(Bytes& out, const RecordedStream& s, std::size_t from, std::size_t to) {
  while (from < to) {
    const std::size_t n = std::min(kMaxInsert, to - from);
    put_op(out, kInsert, n);
    out.insert(out.end(), s.received.begin() + static_cast<std::ptrdiff_t>(from),
               s.received.begin() + static_cast<std::ptrdiff_t>(from + n));
    from += n;
  }
}

Bytes with_header(std::initializer_list<std::uint8_t> header, std::span<const std::byte> rest) {
  Bytes out;
  for (std::uint8_t b : header) out.push_back(static_cast<std::byte>(b));
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

}  // namespace

Bytes stream_verifier_input(const RecordedStream& s) {
  const std::size_t length =
      static_cast<std::size_t>(std::min<std::uint64_t>(s.expected_length, kMaxLength));
  const std::size_t comparable = std::min(length, s.expected.size());
  // Bytes past the expected length are extra bytes, recorded as they came;
  // when we hold only a prefix of the expected stream, bytes past it cannot be
  // compared, so the recording stops there.
  const bool whole = s.expected.size() >= s.expected_length && s.expected_length <= kMaxLength;
  const std::size_t limit = whole ? s.received.size() : std::min(s.received.size(), comparable);
  Bytes out;
  out.push_back(std::byte{0});  // mode: for_bytes of the stream it generates
  put_u16(out, length);
  out.push_back(std::byte{0});  // seed
  std::size_t from = 0;
  for (std::size_t end : s.chunk_ends) {
    end = std::min(end, limit);
    if (end <= from) break;
    if (from > 0) put_op(out, kBoundary, 0);
    encode_in_range(out, s, from, std::min(end, comparable));
    encode_extra(out, s, std::max(from, comparable), end);
    from = end;
  }
  return out;
}

Bytes delimited_input(std::span<const std::byte> received) {
  return with_header({'\n', /*max_length 64=*/5, /*include_delimiter=*/1}, received);
}

Bytes probe_record_input(std::span<const Bytes> datagrams) {
  Bytes out{std::byte{/*max_payload 64 KiB=*/5}};
  for (const Bytes& datagram : datagrams) out.insert(out.end(), datagram.begin(), datagram.end());
  return out;
}

Bytes target_list_input(std::string_view target) {
  const auto* bytes = reinterpret_cast<const std::byte*>(target.data());
  return Bytes(bytes, bytes + target.size());
}

bool is_text(std::span<const std::byte> bytes) {
  return !bytes.empty() && std::all_of(bytes.begin(), bytes.end(), [](std::byte b) {
    const auto c = static_cast<unsigned char>(b);
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
  });
}

}  // namespace echo::conformance
