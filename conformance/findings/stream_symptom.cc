#include "conformance/findings/stream_symptom.h"

#include <algorithm>

#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

std::string count(std::uint64_t n, const char* unit = "byte") {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

bool byte_in(const Bytes& bytes, std::uint64_t start, std::uint64_t offset, std::byte& out) {
  if (offset < start || offset - start >= bytes.size()) return false;
  out = bytes[static_cast<std::size_t>(offset - start)];
  return true;
}

bool received_byte_at(const StreamTrace& t, std::uint64_t offset, std::byte& out) {
  return byte_in(t.received_window, t.window_start, offset, out) ||
         byte_in(t.received_head, 0, offset, out);
}

bool is(const StreamTrace& t, std::uint64_t offset, char c, bool received = false) {
  std::byte b{};
  const bool have = received ? received_byte_at(t, offset, b) : expected_byte_at(t, offset, b);
  return have && b == static_cast<std::byte>(c);
}

// "00 ('\0')": a byte in hex and as text.
std::string show(std::byte b) {
  const std::byte one[] = {b};
  return hex_excerpt(one) + " (" + quoted_text(one) + ")";
}

// The bytes from `from` in an excerpt that starts at `start`, up to `n` of them.
std::span<const std::byte> slice(const Bytes& bytes, std::uint64_t start, std::uint64_t from,
                                 std::size_t n = 16) {
  if (from < start || from - start >= bytes.size()) return {};
  const auto at = static_cast<std::size_t>(from - start);
  return std::span(bytes).subspan(at, std::min(n, bytes.size() - at));
}

std::string context_at(const StreamTrace& t, std::uint64_t offset) {
  const auto sent = slice(t.expected_window, t.window_start, offset);
  const auto got = slice(t.received_window, t.window_start, offset);
  return "; from byte " + std::to_string(offset) + " the client sent " + quoted_text(sent) +
         " and " + (got.empty() ? std::string("nothing") : quoted_text(got)) + " came back";
}

bool high_bit_changed(std::byte sent, std::byte got) {
  if (std::to_integer<unsigned>(sent) < 0x80) return false;
  return got == (sent & std::byte{0x7F}) || got == std::byte{'?'} || got == std::byte{0xEF};
}

// Whether a NUL the client sent before `offset` (in the excerpt before it)
// came back intact: then NUL bytes pass, and a stop at a NUL is no NUL cut
// (a run of zeros cut at a fixed size, for one).
bool nul_came_back(const StreamTrace& t, std::uint64_t offset) {
  for (std::uint64_t at = t.window_start; at < offset; ++at) {
    std::byte b{};
    if (expected_byte_at(t, at, b) && b == std::byte{0}) return true;
  }
  return false;
}

StreamSymptom at_mismatch(const StreamTrace& t) {
  const std::uint64_t m = *t.mismatch;
  std::byte sent{};
  std::byte got{};
  const bool have_sent = expected_byte_at(t, m, sent);
  const bool have_got = received_byte_at(t, m, got);
  // A CR before a newline is the translation, not a one-byte greeting, even
  // when the newline was the first byte sent.
  if (t.inserted == 1 && have_got && got == std::byte{'\r'} && is(t, m, '\n')) {
    return {"newline-to-crlf", "at byte " + std::to_string(m) +
                                   " the client sent 0a ('\\n') and 0d 0a ('\\r\\n') came back"};
  }
  if (const std::size_t g = greeting_length(t); g > 0) {
    return {"greeting", count(g) + " the client never sent came first: " +
                            quoted_text(std::span(t.received_head).first(g)) + ", then the echo"};
  }
  if (have_got && got == std::byte{'\r'} && is(t, m, '\n') &&
      (t.inserted == 1 || is(t, m + 1, '\n', /*received=*/true))) {
    return {"newline-to-crlf", "at byte " + std::to_string(m) +
                                   " the client sent 0a ('\\n') and 0d 0a ('\\r\\n') came back"};
  }
  if (t.inserted > 0) {
    const auto added = slice(t.received_window, t.window_start, m, t.inserted);
    return {"extra-bytes", count(t.inserted) + " the client never sent were inserted at byte " +
                               std::to_string(m) + ": " + quoted_text(added)};
  }
  if (have_sent && sent == std::byte{0} && !nul_came_back(t, m)) {
    return {"nul-cut", "the client sent a NUL (00) at byte " + std::to_string(m) + "; " +
                           (t.skipped > 0 ? "the echo skipped " + count(t.skipped) +
                                                " from there (the NUL and what followed it in "
                                                "the same read)"
                                          : "what came back from there differs") +
                           context_at(t, m)};
  }
  if (is(t, m, '\r') && is(t, m + 1, '\n') && have_got && got == std::byte{'\n'}) {
    return {"crlf-to-newline",
            "at byte " + std::to_string(m) +
                " the client sent 0d 0a ('\\r\\n') and only 0a ('\\n') came back"};
  }
  if (have_sent && have_got && high_bit_changed(sent, got)) {
    return {"high-bit-changed", "at byte " + std::to_string(m) + " the client sent " + show(sent) +
                                    " and " + show(got) + " came back"};
  }
  if (t.skipped > 0) {
    return {"short-write-lost",
            "bytes " + std::to_string(m) + "-" + std::to_string(m + t.skipped - 1) +
                " never came back: the echo went on with byte " + std::to_string(m + t.skipped) +
                " (" + count(t.skipped) + " lost mid-stream)"};
  }
  if (m == 0) {
    return {"unsolicited-data",
            "the first bytes that came back were not the echo: " + quoted_text(t.received_head) +
                " (the client sent " + quoted_text(t.expected_head) + ")"};
  }
  return {"corrupted-data", "byte " + std::to_string(m) + " differs" +
                                (have_sent && have_got ? ": the client sent " + show(sent) + ", " +
                                                             show(got) + " came back"
                                                       : "") +
                                context_at(t, m)};
}

StreamSymptom short_echo(const StreamTrace& t) {
  const std::string where = std::to_string(t.received) + " of " + count(t.expected) + " came back";
  if (t.end == StreamEnd::kDeadline) {
    return {"slow-echo", where + " before the deadline, still arriving at " +
                             std::to_string(static_cast<long long>(t.bytes_per_second)) +
                             " bytes/s"};
  }
  if (t.end == StreamEnd::kConnectFailed) return {};
  // An echo that stops right before a NUL the client sent points to the NUL,
  // however the connection then ended (a server that cuts at NULs closes
  // normally at the client's half-close).
  std::byte next{};
  if (t.received > 0 && expected_byte_at(t, t.received, next) && next == std::byte{0} &&
      !nul_came_back(t, t.received)) {
    return {"nul-cut", where +
                           ": the echo stopped right before the NUL (00) the client sent at "
                           "byte " +
                           std::to_string(t.received)};
  }
  if (t.client_shut_down && t.end == StreamEnd::kFin) {
    return {"half-close-tail-lost",
            "the client shut down its sending side after its last byte; the server closed after " +
                where + ": the last " + count(t.expected - t.received) + " were lost"};
  }
  if (t.end == StreamEnd::kReset) return {"resets-connections", "RST after " + where};
  if (t.received == 0) {
    if (t.end == StreamEnd::kFin) return {"closes-at-once", "FIN before any echo"};
    return {"no-echo", "nothing came back (" + std::string(to_string(t.end)) + ")"};
  }
  if (t.end == StreamEnd::kStalled && t.received == t.through_last_newline && !t.client_shut_down) {
    return {"line-buffered", where + ", everything up to the last newline the client sent (byte " +
                                 std::to_string(t.received - 1) + "); the " +
                                 count(t.sent - t.received) + " after it never came back"};
  }
  if (t.first_write > 0 && t.received == t.first_write && t.sent > t.first_write) {
    return {"first-read-only", where + ": exactly the client's first write (" +
                                   count(t.first_write) + "), then nothing"};
  }
  if (t.end == StreamEnd::kFin) return {"stream-cut", "the server closed (FIN) after " + where};
  return {"stalls", where + ", then nothing (" + std::string(to_string(t.end)) + ")"};
}

}  // namespace

bool expected_byte_at(const StreamTrace& trace, std::uint64_t offset, std::byte& out) noexcept {
  return byte_in(trace.expected_window, trace.window_start, offset, out) ||
         byte_in(trace.expected_head, 0, offset, out);
}

std::size_t greeting_length(const StreamTrace& t) noexcept {
  if (t.mismatch != 0u || t.connection_offset != 0 || t.expected_head.empty()) return 0;
  // At least 8 bytes of the echo (all of it when shorter) must follow the greeting.
  const std::size_t need = std::min<std::size_t>(t.expected_head.size(), 8);
  for (std::size_t s = 1; s + need <= t.received_head.size(); ++s) {
    const std::size_t k =
        std::min({t.expected_head.size(), t.received_head.size() - s, std::size_t{16}});
    if (std::equal(t.expected_head.begin(),
                   t.expected_head.begin() + static_cast<std::ptrdiff_t>(k),
                   t.received_head.begin() + static_cast<std::ptrdiff_t>(s))) {
      return s;
    }
  }
  return 0;
}

StreamSymptom stream_symptom(const StreamTrace& t) {
  if (t.arrived_after_shutdown) {
    return {"waits-for-eof",
            "nothing came back while the connection was open; the echo arrived "
            "once the client shut down its sending side"};
  }
  if (t.mismatch) return at_mismatch(t);
  if (t.received < t.expected) return short_echo(t);
  if (t.extra > 0 || t.after == AfterEcho::kMore) {
    const auto added = slice(t.received_window, t.window_start, t.expected, 32);
    return {"extra-bytes", "after the whole echo " + count(t.extra) +
                               " more came that the client never sent: " + quoted_text(added)};
  }
  if (t.after == AfterEcho::kNothing && t.client_shut_down) {
    return {"half-close-never-closed",
            "the whole echo came back, but the server kept the connection open after the "
            "client's half-close"};
  }
  return {};
}

}  // namespace echo::conformance
