// stream_verifier_fuzzer: the checker's StreamVerifier
// (conformance/oracle/stream_verifier.h) against a naive model that holds the
// whole expected and received streams. Input: a mode byte, a 16-bit expected
// length, a seed byte, then operations (opcode, 16-bit n taken mod 20000) that
// build what the "server" sent back, until the input ends or 128 KiB were
// received:
//   0 echo the next n expected bytes     2 lose the next n expected bytes
//   1 insert n bytes of the input        3 corrupt the next expected byte
//   4 a chunk boundary
// (past the expected length, "expected bytes" are 0x5A). Mode: bit 0 a seeded
// PayloadStream, else for_bytes; bits 1-2 how the received stream is fed:
// 0 and 3 in the operations' chunks (the layout conformance/record/ writes, as
// the real recv() calls came), 1 at random boundaries, 2 at once. Properties
// (a broken one aborts): fed that way, the verifier reports what the model
// computes: the exact offset of the first mismatch, window and both excerpts
// as documented, received, extra, missing, verified, the first extra bytes,
// ok() after every feed, complete(), and describe() empty exactly when
// complete() (formatted after a chunk only when it must be empty, and at the
// end). With at most 64 chunks, the whole state is checked after each of
// them, else at the end. The model does not depend on the chunking, so
// across runs the verifier's report does not either.
// Cost per run: one verifier's work (a copy of the expected bytes for
// for_bytes, its 16 KiB scratch, memcmp of what arrived); the received stream
// is built in place in static storage. The model's expected streams are
// generated once per (mode, seed) and kept (ExpectedStreams); the first
// mismatch of the whole received stream is found once, and that of any prefix
// follows from it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "conformance/oracle/payload.h"
#include "conformance/oracle/stream_verifier.h"
#include "fuzz/chunking.h"
#include "fuzz/counter_bytes.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::conformance::Mismatch;
using echo::conformance::PayloadStream;
using echo::conformance::StreamVerifier;
using Bytes = std::vector<std::byte>;
using Span = std::span<const std::byte>;

constexpr std::size_t kMaxLength = 0xFFFF;
constexpr std::size_t kMaxReceived = 128 * 1024;
constexpr std::size_t kMaxOp = 20000;
constexpr std::byte kPastTheEnd{0x5A};

// The received stream: built at the front of g_building, then moved to the
// end of g_received (see end_of()).
std::array<std::byte, kMaxReceived + kMaxOp> g_building;
std::array<std::byte, kMaxReceived + kMaxOp> g_received;

// The expected streams, one per (mode, seed): byte i of the for_bytes stream is
// the top byte of a linear congruential generator's i-th state, of the payload
// stream PayloadStream(seed, 1).byte_at(i). Each is generated as far as an
// input has asked for, once, in static storage (pages are only touched when
// used, and no allocation outlives a run: libFuzzer would re-run such a run
// under LeakSanitizer).
class ExpectedStreams {
 public:
  // The first `length` bytes (at most kMaxLength) of the stream of that mode and seed.
  Span prefix(bool payload_mode, std::uint8_t seed, std::size_t length) {
    const std::size_t which = (payload_mode ? 256 : 0) + seed;
    Stream& stream = streams_[which];
    std::byte* bytes = bytes_[which].data();
    if (stream.generated == 0) stream.state = std::uint64_t{seed} * 2 + 1;
    const PayloadStream payload(seed, 1);
    for (; stream.generated < length; ++stream.generated) {
      stream.state = stream.state * 6364136223846793005ULL + 1442695040888963407ULL;
      bytes[stream.generated] = payload_mode ? payload.byte_at(stream.generated)
                                             : static_cast<std::byte>(stream.state >> 56);
    }
    return Span(bytes, length);
  }

 private:
  struct Stream {
    std::size_t generated = 0;
    std::uint64_t state = 0;  // of the generator after `generated` bytes
  };
  std::array<Stream, 512> streams_;
  std::array<std::array<std::byte, kMaxLength>, 512> bytes_;
};

ExpectedStreams g_expected;

struct Scenario {
  bool payload_mode = false;
  std::uint8_t seed = 0;
  Span expected;
  Span received;
  const std::vector<std::size_t>* cuts = nullptr;  // chunk ends of received, the last at its end
  std::optional<std::size_t> first_mismatch;       // of all of received
};

// Where a and b first differ (within the shorter), comparing 64 bytes at a time.
std::optional<std::size_t> first_difference(Span a, Span b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t block = 0; block < n; block += 64) {
    if (std::memcmp(a.data() + block, b.data() + block, std::min<std::size_t>(64, n - block)) == 0)
      continue;
    for (std::size_t i = block;; ++i) {
      if (a[i] != b[i]) return i;
    }
  }
  return std::nullopt;
}

// The chunkings a run can choose (mode bits 1-2).
enum class Feeding { kOperations, kRandom, kWhole };

Scenario build(echo::fuzz::FuzzInput& in, Feeding& feeding) {
  static std::vector<std::size_t> cuts;  // storage reused run after run
  cuts.clear();
  std::size_t size = 0;  // of the received stream so far, in g_building
  auto append = [&](Span bytes) {
    if (!bytes.empty()) std::memcpy(g_building.data() + size, bytes.data(), bytes.size());
    size += bytes.size();
  };
  Scenario s;
  const std::uint8_t mode = in.take_u8();
  s.payload_mode = (mode & 1) != 0;
  constexpr Feeding kFeedings[] = {Feeding::kOperations, Feeding::kRandom, Feeding::kWhole,
                                   Feeding::kOperations};
  feeding = kFeedings[(mode >> 1) & 3];
  const std::size_t length = in.take_u16();
  s.seed = in.take_u8();
  s.expected = g_expected.prefix(s.payload_mode, s.seed, length);
  std::size_t cursor = 0;  // the next expected byte to echo
  while (!in.empty() && size < kMaxReceived) {
    uint8_t op = in.take_u8();
    std::size_t n = in.take_u16() % kMaxOp;
    switch (op % 5) {
      case 0: {
        const std::size_t in_range = cursor < length ? std::min(n, length - cursor) : 0;
        append(s.expected.subspan(std::min(cursor, length), in_range));
        std::memset(g_building.data() + size, static_cast<int>(kPastTheEnd), n - in_range);
        size += n - in_range;
        cursor += n;
        break;
      }
      case 1: {
        append(std::as_bytes(in.take_bytes(n % 64)));
        break;
      }
      case 2:
        cursor += n;
        break;
      case 3: {
        const std::byte want = cursor < length ? s.expected[cursor] : kPastTheEnd;
        g_building[size++] = want ^ std::byte{static_cast<uint8_t>(n | 1)};
        ++cursor;
        break;
      }
      default:
        cuts.push_back(size);
        break;
    }
  }
  cuts.push_back(size);
  std::span<std::byte> exact = echo::fuzz::end_of(g_received, size);
  if (size > 0) std::memcpy(exact.data(), g_building.data(), size);
  s.received = exact;
  s.cuts = &cuts;
  s.first_mismatch = first_difference(s.expected, s.received);
  return s;
}

StreamVerifier make_verifier(const Scenario& s) {
  if (s.payload_mode)
    return StreamVerifier::for_payload(PayloadStream(s.seed, 1), s.expected.size());
  return StreamVerifier::for_bytes(Bytes(s.expected.begin(), s.expected.end()));
}

// bytes[from, to), cut to what there is.
Span slice(Span bytes, std::size_t from, std::size_t to) {
  to = std::min(to, bytes.size());
  if (from >= to) return {};
  return bytes.subspan(from, to - from);
}

bool same(const Bytes& got, Span want) {
  return got.size() == want.size() && std::equal(want.begin(), want.end(), got.begin());
}

// Checks the state after the first `fed` bytes of s.received arrived.
void check_state(const StreamVerifier& v, const Scenario& s, std::size_t fed) {
  const Span received = s.received.first(fed);
  const std::size_t length = s.expected.size();
  FUZZ_CHECK(v.received() == received.size(), "received() %llu, fed %zu",
             static_cast<unsigned long long>(v.received()), received.size());
  std::size_t extra = received.size() > length ? received.size() - length : 0;
  std::size_t missing = received.size() < length ? length - received.size() : 0;
  FUZZ_CHECK(v.extra() == extra && v.missing() == missing,
             "extra() %llu missing() %llu, "
             "expected %zu and %zu",
             static_cast<unsigned long long>(v.extra()),
             static_cast<unsigned long long>(v.missing()), extra, missing);
  FUZZ_CHECK(same(v.extra_excerpt(), slice(received, length, length + Mismatch::kAfter)),
             "the extra excerpt is not the first extra bytes");
  // A prefix's first mismatch is the whole stream's, once that has arrived.
  std::optional<std::size_t> at;
  if (s.first_mismatch && *s.first_mismatch < fed) at = s.first_mismatch;
  FUZZ_CHECK(v.mismatch().has_value() == at.has_value(), "mismatch %s, the model %s",
             v.mismatch() ? "reported" : "not reported", at ? "finds one" : "finds none");
  std::size_t verified = at ? *at : std::min(length, received.size());
  FUZZ_CHECK(v.verified() == verified, "verified() %llu, expected %zu",
             static_cast<unsigned long long>(v.verified()), verified);
  FUZZ_CHECK(v.ok() == (!at && extra == 0), "ok() is %d", v.ok());
  FUZZ_CHECK(v.complete() == (v.ok() && missing == 0), "complete() is %d", v.complete());
  // describe() formats hex excerpts: checked at the end of the stream, and after a
  // chunk only when it must be empty (cheap).
  if (fed == s.received.size() || v.complete()) {
    FUZZ_CHECK(v.describe().empty() == v.complete(), "describe() \"%s\" with complete() %d",
               v.describe().c_str(), v.complete());
  }
  if (!at) return;
  const Mismatch& m = *v.mismatch();
  FUZZ_CHECK(m.offset == *at, "first mismatch reported at %llu, it is at %zu",
             static_cast<unsigned long long>(m.offset), *at);
  std::size_t start = *at - std::min(*at, Mismatch::kBefore);
  FUZZ_CHECK(m.window_start == start, "window_start %llu, expected %zu",
             static_cast<unsigned long long>(m.window_start), start);
  FUZZ_CHECK(same(m.expected, slice(s.expected, start, *at + Mismatch::kAfter)),
             "the expected excerpt around byte %zu is wrong", *at);
  FUZZ_CHECK(same(m.received, slice(received, start, *at + Mismatch::kAfter)),
             "the received excerpt around byte %zu is not bytes %zu..%zu of what arrived "
             "(%zu bytes, %zu expected)",
             *at, start, *at + Mismatch::kAfter - 1, received.size(), length);
}

// Feeds s.received in the chunks for_each_chunk(visit) gives; the full model
// check runs after every chunk or at the end.
template <class ForEachChunk>
void run(const Scenario& s, ForEachChunk&& for_each_chunk, bool check_every_chunk) {
  StreamVerifier v = make_verifier(s);
  FUZZ_CHECK(v.expected_length() == s.expected.size(), "expected_length() is wrong");
  std::size_t fed = 0;
  for_each_chunk([&](Span chunk) {
    bool still_ok = v.feed(chunk);
    fed += chunk.size();
    FUZZ_CHECK(still_ok == v.ok(), "feed() returned %d, ok() is %d", still_ok, v.ok());
    if (check_every_chunk) check_state(v, s, fed);
  });
  if (!check_every_chunk) check_state(v, s, s.received.size());  // else the last chunk was
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  Feeding feeding = Feeding::kOperations;
  const Scenario s = build(in, feeding);
  switch (feeding) {
    case Feeding::kOperations: {
      const std::vector<std::size_t>& cuts = *s.cuts;
      run(
          s,
          [&](auto&& visit) {
            std::size_t from = 0;
            for (std::size_t cut : cuts) {
              visit(s.received.subspan(from, cut - from));
              from = cut;
            }
          },
          /*check_every_chunk=*/cuts.size() <= 64);
      break;
    }
    case Feeding::kRandom: {
      // Seeded by the input's head and size, not the up to 148 KiB made from it.
      const std::uint64_t seed =
          echo::fuzz::fnv1a(std::as_bytes(std::span(data, std::min<size_t>(size, 64)))) ^ size;
      run(
          s,
          [&](auto&& visit) {
            echo::fuzz::for_each_chunk(s.received, echo::fuzz::Split::kRandom, visit, seed);
          },
          /*check_every_chunk=*/false);
      break;
    }
    case Feeding::kWhole:
      run(
          s, [&](auto&& visit) { visit(s.received); }, /*check_every_chunk=*/false);
      break;
  }
  return 0;
}
