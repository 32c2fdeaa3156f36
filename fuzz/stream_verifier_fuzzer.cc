// stream_verifier_fuzzer: the checker's StreamVerifier
// (conformance/oracle/stream_verifier.h) against a naive model that holds the
// whole expected and received streams. Input: a mode byte (bit 0: a seeded
// PayloadStream, else for_bytes), a 16-bit expected length, a seed byte, then
// operations (opcode, 16-bit n) that build what the "server" sent back:
//   0 echo the next n expected bytes     2 lose the next n expected bytes
//   1 insert n bytes of the input        3 corrupt the next expected byte
//   4 a chunk boundary
// Properties (a broken one aborts): fed in those chunks, at random boundaries,
// or at once, the verifier reports what the model computes: the exact offset
// of the first mismatch, window and both excerpts as documented, received,
// extra, missing, verified, the first extra bytes, ok() after every feed,
// complete(), and describe() empty exactly when complete().
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "conformance/oracle/payload.h"
#include "conformance/oracle/stream_verifier.h"
#include "fuzz/chunking.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::conformance::Mismatch;
using echo::conformance::PayloadStream;
using echo::conformance::StreamVerifier;
using Bytes = std::vector<std::byte>;

constexpr std::size_t kMaxReceived = 128 * 1024;

struct Scenario {
  bool payload_mode = false;
  std::uint64_t seed = 0;
  Bytes expected;
  Bytes received;
  echo::fuzz::Chunks chunks;  // of received, at the input's boundaries
};

Bytes expected_bytes(bool payload_mode, std::uint64_t seed, std::size_t length) {
  Bytes out(length);
  PayloadStream payload(seed, 1);
  std::uint64_t state = seed * 2 + 1;
  for (std::size_t i = 0; i < length; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = payload_mode ? payload.byte_at(i) : static_cast<std::byte>(state >> 56);
  }
  return out;
}

Scenario build(echo::fuzz::FuzzInput& in) {
  Scenario s;
  s.payload_mode = (in.take_u8() & 1) != 0;
  std::size_t length = in.take_u16();
  s.seed = in.take_u8();
  s.expected = expected_bytes(s.payload_mode, s.seed, length);
  std::vector<std::size_t> cuts;
  std::size_t cursor = 0;  // the next expected byte to echo
  auto expected_at = [&](std::size_t i) { return i < length ? s.expected[i] : std::byte{0x5A}; };
  while (!in.empty() && s.received.size() < kMaxReceived) {
    uint8_t op = in.take_u8();
    std::size_t n = in.take_u16() % 20000;
    switch (op % 5) {
      case 0:
        for (std::size_t i = 0; i < n; ++i) s.received.push_back(expected_at(cursor++));
        break;
      case 1: {
        auto bytes = std::as_bytes(in.take_bytes(n % 64));
        s.received.insert(s.received.end(), bytes.begin(), bytes.end());
        break;
      }
      case 2:
        cursor += n;
        break;
      case 3:
        s.received.push_back(expected_at(cursor++) ^ std::byte{static_cast<uint8_t>(n | 1)});
        break;
      default:
        cuts.push_back(s.received.size());
        break;
    }
  }
  std::size_t from = 0;
  cuts.push_back(s.received.size());
  for (std::size_t cut : cuts) {
    s.chunks.push_back(std::span<const std::byte>(s.received).subspan(from, cut - from));
    from = cut;
  }
  return s;
}

StreamVerifier make_verifier(const Scenario& s) {
  if (s.payload_mode)
    return StreamVerifier::for_payload(PayloadStream(s.seed, 1), s.expected.size());
  return StreamVerifier::for_bytes(s.expected);
}

// The first mismatch, computed the obvious way.
std::optional<std::size_t> first_mismatch(const Bytes& expected,
                                          std::span<const std::byte> received) {
  std::size_t n = std::min(expected.size(), received.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (expected[i] != received[i]) return i;
  }
  return std::nullopt;
}

Bytes slice(std::span<const std::byte> bytes, std::size_t from, std::size_t to) {
  to = std::min(to, bytes.size());
  if (from >= to) return {};
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(from),
               bytes.begin() + static_cast<std::ptrdiff_t>(to));
}

// Checks the state after `received` bytes arrived.
void check_state(const StreamVerifier& v, const Bytes& expected,
                 std::span<const std::byte> received) {
  const std::size_t length = expected.size();
  FUZZ_CHECK(v.received() == received.size(), "received() %llu, fed %zu",
             static_cast<unsigned long long>(v.received()), received.size());
  std::size_t extra = received.size() > length ? received.size() - length : 0;
  std::size_t missing = received.size() < length ? length - received.size() : 0;
  FUZZ_CHECK(v.extra() == extra && v.missing() == missing,
             "extra() %llu missing() %llu, "
             "expected %zu and %zu",
             static_cast<unsigned long long>(v.extra()),
             static_cast<unsigned long long>(v.missing()), extra, missing);
  FUZZ_CHECK(v.extra_excerpt() == slice(received, length, length + Mismatch::kAfter),
             "the extra excerpt is not the first extra bytes");
  std::optional<std::size_t> at = first_mismatch(expected, received);
  FUZZ_CHECK(v.mismatch().has_value() == at.has_value(), "mismatch %s, the model %s",
             v.mismatch() ? "reported" : "not reported", at ? "finds one" : "finds none");
  std::size_t verified = at ? *at : std::min(length, received.size());
  FUZZ_CHECK(v.verified() == verified, "verified() %llu, expected %zu",
             static_cast<unsigned long long>(v.verified()), verified);
  FUZZ_CHECK(v.ok() == (!at && extra == 0), "ok() is %d", v.ok());
  FUZZ_CHECK(v.complete() == (v.ok() && missing == 0), "complete() is %d", v.complete());
  FUZZ_CHECK(v.describe().empty() == v.complete(), "describe() \"%s\" with complete() %d",
             v.describe().c_str(), v.complete());
  if (!at) return;
  const Mismatch& m = *v.mismatch();
  FUZZ_CHECK(m.offset == *at, "first mismatch reported at %llu, it is at %zu",
             static_cast<unsigned long long>(m.offset), *at);
  std::size_t start = *at - std::min(*at, Mismatch::kBefore);
  FUZZ_CHECK(m.window_start == start, "window_start %llu, expected %zu",
             static_cast<unsigned long long>(m.window_start), start);
  FUZZ_CHECK(m.expected == slice(expected, start, *at + Mismatch::kAfter),
             "the expected excerpt around byte %zu is wrong", *at);
  FUZZ_CHECK(m.received == slice(received, start, *at + Mismatch::kAfter),
             "the received excerpt around byte %zu is not bytes %zu..%zu of what arrived "
             "(%zu bytes, %zu expected)",
             *at, start, *at + Mismatch::kAfter - 1, received.size(), length);
}

// Feeds the chunks; the full model check runs after every chunk or at the end.
void run(const Scenario& s, const echo::fuzz::Chunks& chunks, bool check_every_chunk) {
  StreamVerifier v = make_verifier(s);
  FUZZ_CHECK(v.expected_length() == s.expected.size(), "expected_length() is wrong");
  std::size_t fed = 0;
  for (std::span<const std::byte> chunk : chunks) {
    bool still_ok = v.feed(chunk);
    fed += chunk.size();
    FUZZ_CHECK(still_ok == v.ok(), "feed() returned %d, ok() is %d", still_ok, v.ok());
    if (check_every_chunk) check_state(v, s.expected, std::span(s.received).first(fed));
  }
  check_state(v, s.expected, s.received);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  Scenario s = build(in);
  run(s, s.chunks, /*check_every_chunk=*/s.chunks.size() <= 64);
  run(s, echo::fuzz::random_chunks(s.received), false);
  run(s, echo::fuzz::whole(s.received), false);
  return 0;
}
