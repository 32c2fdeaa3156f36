// probe_record_fuzzer: ProbeRecordDecoder and encode_probe_record
// (core/codec/probe_record.h). Input: a header byte, then the stream. Header:
// bits 0-2 a max_payload selector; bits 3-5 how the run feeds what it decodes
// (Feeding::from_bits: bits 3-4 whole, at random boundaries or byte by byte,
// bit 5 finish() after the last byte); bits 6-7 which property the run checks
// (a broken one aborts), besides the decoder contract of decoder_harness.h:
//  0 the rest of the input as a stream: the events, skipped total and
//    buffered bytes, fed as chosen, match a model of the documented format
//    working on the whole stream (so across runs, however it is chunked): a
//    record wherever the magic, a length within max_payload and the CRC-32C
//    agree; otherwise one byte dropped (all bytes up to the next magic for a
//    bad magic) and counted at once, and reported in one error of the first
//    problem's kind when a whole magic follows, or at the end after finish();
//    a record cut short by finish() is dropped a byte at a time and rescanned;
//    so no byte is lost from the accounting;
//  1-3 resync, records built from the rest of the input: record A, then
//    (1) garbage holding no magic, (2) a record with one corrupted byte (not in
//    its length field, and holding no other magic) or (3) nothing, then record
//    B decodes, fed as chosen, to exactly [A, one error skipping those bytes,
//    B] (so encode then decode round-trips A and B).
// Cost per run: one decoding and the decoder's own allocations (a record per
// event, a string per error), the records' payloads in 1-3; the model's
// expected events and the encoded streams reuse storage from run to run.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "core/codec/big_endian.h"
#include "core/codec/crc32c.h"
#include "core/codec/probe_record.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::DecodeError;
using echo::DecodeErrorKind;
using echo::ProbeRecord;
using echo::ProbeRecordDecoder;
using echo::ProbeRecordOptions;
using echo::fuzz::ExpectedEvents;
using echo::fuzz::Feeding;
using Bytes = std::vector<std::byte>;

constexpr std::size_t kMaxPayloads[] = {0, 1, 16, 100, 1024, 64 * 1024};
constexpr std::array<std::byte, 4> kMagic = {std::byte{0xEC}, std::byte{0x0B}, std::byte{0x5E},
                                             std::byte{0x4D}};

uint64_t take_u64(echo::fuzz::FuzzInput& in) {
  uint64_t value = 0;
  for (int i = 0; i < 4; ++i) value = value << 16 | in.take_u16();
  return value;
}

ProbeRecord take_record(echo::fuzz::FuzzInput& in, std::size_t max_payload) {
  ProbeRecord record;
  record.sequence = take_u64(in);
  record.send_time_ns = take_u64(in);
  std::size_t size = std::min<std::size_t>(in.take_u16() % 512, max_payload);
  auto payload = std::as_bytes(in.take_bytes(size));
  record.payload.assign(payload.begin(), payload.end());
  return record;
}

// Appends the encoding of `record` to `wire`.
void encode(Bytes& wire, const ProbeRecord& record) {
  const std::size_t before = wire.size();
  echo::encode_probe_record(wire, record);
  FUZZ_CHECK(wire.size() - before == echo::probe_record_size(record.payload.size()),
             "a %zu-byte payload encoded to %zu bytes", record.payload.size(),
             wire.size() - before);
}

// Whether the magic appears anywhere in bytes[from ..].
bool has_magic(std::span<const std::byte> bytes, std::size_t from) {
  if (bytes.size() < from) return false;
  auto rest = bytes.subspan(from);
  return std::search(rest.begin(), rest.end(), kMagic.begin(), kMagic.end()) != rest.end();
}

// Where a record may start in `rest`: the first magic, or a prefix of it
// running to the end (more input may complete it); rest.size() if none.
std::size_t next_candidate(std::span<const std::byte> rest) {
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const void* at = std::memchr(rest.data() + i, 0xEC, rest.size() - i);
    if (at == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const std::byte*>(at) - rest.data());
    const std::size_t n = std::min(kMagic.size(), rest.size() - i);
    if (std::equal(kMagic.begin(), kMagic.begin() + static_cast<long>(n), rest.begin() + i)) {
      return i;
    }
  }
  return rest.size();
}

// The model: the events of decoding `stream` whole, into `check`.
void expect_format(const ProbeRecordOptions& options, std::span<const std::byte> stream,
                   bool finish, ExpectedEvents& check) {
  std::uint64_t skipped_total = 0;
  std::size_t pending = 0;  // dropped, not yet reported
  DecodeErrorKind pending_kind{};
  auto drop = [&](std::size_t n, DecodeErrorKind kind) {
    if (pending == 0) pending_kind = kind;
    pending += n;
    skipped_total += n;
    stream = stream.subspan(n);
  };
  auto report = [&] {
    check.error(pending_kind, pending);
    pending = 0;
  };
  // An incomplete record (or magic) at the front: waits, or is cut by finish().
  auto incomplete = [&] {
    if (!finish) return false;
    drop(1, DecodeErrorKind::kTruncated);
    return true;
  };
  for (;;) {
    if (const std::size_t start = next_candidate(stream); start > 0) {
      drop(start, DecodeErrorKind::kBadMagic);
      continue;
    }
    if (stream.empty()) {
      if (finish && pending > 0) report();
      return check.end(skipped_total, 0);
    }
    if (stream.size() < kMagic.size()) {
      if (incomplete()) continue;
      return check.end(skipped_total, stream.size());
    }
    if (pending > 0) report();  // a whole magic ends the bad bytes
    if (stream.size() < echo::kProbeHeaderSize) {
      if (incomplete()) continue;
      return check.end(skipped_total, stream.size());
    }
    const std::uint32_t length = echo::load_be32(stream.subspan(20));
    if (length > options.max_payload) {
      drop(1, DecodeErrorKind::kTooLong);
      continue;
    }
    const std::size_t size = echo::probe_record_size(length);
    if (stream.size() < size) {
      if (incomplete()) continue;
      return check.end(skipped_total, stream.size());
    }
    if (echo::load_be32(stream.subspan(size - 4)) != echo::crc32c(stream.first(size - 4))) {
      drop(1, DecodeErrorKind::kBadChecksum);
      continue;
    }
    check.message(stream.first(size));
    stream = stream.subspan(size);
  }
}

// A decoded record matches the bytes of its encoding in the stream.
struct SameRecord {
  bool operator()(const ProbeRecord& got, std::span<const std::byte> encoded) const {
    const std::span<const std::byte> payload =
        encoded.subspan(echo::kProbeHeaderSize, encoded.size() - echo::probe_record_size(0));
    return got.sequence == echo::load_be64(encoded.subspan(4)) &&
           got.send_time_ns == echo::load_be64(encoded.subspan(12)) &&
           got.payload.size() == payload.size() &&
           std::equal(payload.begin(), payload.end(), got.payload.begin());
  }
};

// A, the bad bytes, B: exactly [A, one error skipping the bad bytes, B].
void check_resync(const ProbeRecordOptions& options, Feeding how, const ProbeRecord& a,
                  std::span<const std::byte> bad, const ProbeRecord& b) {
  static Bytes wire;
  wire.clear();
  encode(wire, a);
  wire.insert(wire.end(), bad.begin(), bad.end());
  encode(wire, b);
  const std::size_t expected_events = bad.empty() ? 2 : 3;
  std::size_t i = 0;
  echo::fuzz::DecodeEnd end =
      echo::fuzz::decode(ProbeRecordDecoder(options), wire, how, [&](auto&& event) {
        FUZZ_CHECK(i < expected_events, "more than %zu events after %zu bad bytes", expected_events,
                   bad.size());
        if (i == 0) {
          const auto* first = std::get_if<ProbeRecord>(&event);
          FUZZ_CHECK(first != nullptr && *first == a, "the record before the bad bytes was lost");
        } else if (i + 1 == expected_events) {
          const auto* last = std::get_if<ProbeRecord>(&event);
          FUZZ_CHECK(last != nullptr && *last == b,
                     "no resync: the record after %zu bad bytes was lost", bad.size());
        } else {
          const auto* error = std::get_if<DecodeError>(&event);
          FUZZ_CHECK(error != nullptr && error->skipped == bad.size(),
                     "the resync error should skip exactly the %zu bad bytes", bad.size());
        }
        ++i;
      });
  FUZZ_CHECK(i == expected_events, "%zu events after %zu bad bytes, expected %zu", i, bad.size(),
             expected_events);
  if (bad.empty()) return;
  FUZZ_CHECK(end.skipped_total == bad.size() && end.buffered == 0,
             "skipped_total() %llu and buffered() %zu after resync",
             static_cast<unsigned long long>(end.skipped_total), end.buffered);
}

// Garbage with no magic byte 0xEC, so no record can start inside it.
std::span<const std::byte> take_garbage(echo::fuzz::FuzzInput& in) {
  static Bytes garbage;
  auto bytes = std::as_bytes(in.take_bytes(in.take_u8()));
  garbage.assign(bytes.begin(), bytes.end());
  std::replace(garbage.begin(), garbage.end(), kMagic[0], std::byte{0xED});
  return garbage;
}

enum class Resync { kGarbage = 1, kCorrupted = 2, kAdjacent = 3 };

void check_records(const ProbeRecordOptions& options, Feeding how, Resync what,
                   echo::fuzz::FuzzInput in) {
  ProbeRecord a = take_record(in, options.max_payload);
  ProbeRecord b = take_record(in, options.max_payload);
  switch (what) {
    case Resync::kAdjacent:
      return check_resync(options, how, a, {}, b);
    case Resync::kGarbage:
      return check_resync(options, how, a, take_garbage(in), b);
    case Resync::kCorrupted:
      break;
  }
  ProbeRecord c = take_record(in, options.max_payload);
  static Bytes intact;
  static Bytes corrupted;
  intact.clear();
  encode(intact, c);
  corrupted = intact;
  std::size_t position = in.take_u16() % corrupted.size();
  if (position >= 20 && position < 24) position -= 4;  // keep the length field intact
  corrupted[position] ^= std::byte{static_cast<uint8_t>(in.take_u8() | 1)};
  if (!has_magic(intact, 1) && !has_magic(corrupted, 1)) {
    check_resync(options, how, a, corrupted, b);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  const std::uint8_t header = in.take_u8();
  ProbeRecordOptions options;
  options.max_payload = kMaxPayloads[(header & 7) % std::size(kMaxPayloads)];
  const Feeding how = Feeding::from_bits(static_cast<std::uint8_t>(header >> 3));
  const int property = header >> 6;

  ProbeRecordDecoder fresh(options);
  FUZZ_CHECK(fresh.buffer_limit() == echo::probe_record_size(options.max_payload),
             "buffer_limit() %zu for max_payload %zu", fresh.buffer_limit(), options.max_payload);
  if (property != 0) {
    check_records(options, how, static_cast<Resync>(property), in);
    return 0;
  }
  const std::span<const std::byte> stream = std::as_bytes(in.take_rest());
  static ExpectedEvents expected;
  expected.clear();
  expect_format(options, stream, how.finish, expected);
  expected.check(std::move(fresh), stream, how, SameRecord{});
  return 0;
}
