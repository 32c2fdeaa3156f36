// probe_record_fuzzer: ProbeRecordDecoder and encode_probe_record
// (core/codec/probe_record.h). Input: a header byte, then the stream. Header:
// bits 0-2 a max_payload selector; bits 3-5 how the run feeds what it decodes
// (Feeding::from_bits: bits 3-4 whole, at random boundaries or byte by byte,
// bit 5 finish() after the last byte); bits 6-7 which property the run checks
// (a broken one aborts), besides the decoder contract of decoder_harness.h:
//  0 the rest of the input as a stream: the same events, skipped total and
//    buffered bytes fed as chosen as fed whole (so across runs, however it is
//    chunked); bytes are never lost from the accounting: every error's skipped
//    adds up to skipped_total() minus the bytes dropped but not yet reported,
//    and after finish() to all of it, with nothing left buffered;
//  1-3 resync, records built from the rest of the input: record A, then
//    (1) garbage holding no magic, (2) a record with one corrupted byte (not in
//    its length field, and holding no other magic) or (3) nothing, then record
//    B decodes, fed as chosen, to exactly [A, one error skipping those bytes,
//    B] (so encode then decode round-trips A and B).
// Cost per run: one or two decodings and the decoder's own allocations (a
// record per event, a string per error), the records' payloads in 1-3; the
// event list and the encoded streams reuse storage from run to run.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

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
using echo::fuzz::Feeding;
using Bytes = std::vector<std::byte>;
using Decoding = echo::fuzz::Decoding<ProbeRecordDecoder>;

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

void check_accounting(const Decoding& decoded, bool finished) {
  std::uint64_t reported = 0;
  for (const auto& event : decoded.events) {
    const auto* error = std::get_if<DecodeError>(&event);
    if (error == nullptr) continue;
    FUZZ_CHECK(!error->message.empty(), "an error without a message");
    FUZZ_CHECK(error->skipped > 0, "an error that skipped nothing");
    reported += error->skipped;
  }
  FUZZ_CHECK(reported <= decoded.end.skipped_total, "errors report %llu skipped bytes of %llu",
             static_cast<unsigned long long>(reported),
             static_cast<unsigned long long>(decoded.end.skipped_total));
  if (!finished) return;
  FUZZ_CHECK(reported == decoded.end.skipped_total && decoded.end.buffered == 0,
             "after finish(): errors report %llu skipped bytes of %llu, %zu left buffered",
             static_cast<unsigned long long>(reported),
             static_cast<unsigned long long>(decoded.end.skipped_total), decoded.end.buffered);
}

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
  static Decoding decoded;
  echo::fuzz::decode_whole_and(fresh, std::as_bytes(in.take_rest()), how, decoded);
  check_accounting(decoded, how.finish);
  decoded.events.clear();  // free this run's messages in this run (see decoder_harness.h)
  return 0;
}
