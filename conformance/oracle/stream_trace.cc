#include "conformance/oracle/stream_trace.h"

#include <algorithm>
#include <functional>

namespace echo::conformance {
namespace {

// Bytes matched to place the received bytes after a mismatch in the expected
// stream: enough that random payloads never line up by chance.
constexpr std::size_t kAlign = 16;
constexpr std::size_t kMinAlign = 4;  // a short tail (the stream ended) still counts

Bytes expected_range(const StreamVerifier& v, std::uint64_t from, std::uint64_t to) {
  to = std::min(to, v.expected_length());
  if (from >= to) return {};
  Bytes out(static_cast<std::size_t>(to - from));
  v.expected_bytes(from, out);
  return out;
}

// The newline search looks this far back from the end of what was sent.
constexpr std::uint64_t kNewlineSearch = 1 << 20;

std::uint64_t through_last_newline(const StreamVerifier& v, std::uint64_t sent) {
  const std::uint64_t end = std::min(sent, v.expected_length());
  const std::uint64_t floor = end > kNewlineSearch ? end - kNewlineSearch : 0;
  constexpr std::uint64_t kBlock = 4096;
  for (std::uint64_t to = end; to > floor;) {
    const std::uint64_t from = to > floor + kBlock ? to - kBlock : floor;
    const Bytes block = expected_range(v, from, to);
    const auto it = std::find(block.rbegin(), block.rend(), std::byte{'\n'});
    if (it != block.rend()) return from + static_cast<std::uint64_t>(block.rend() - it);
    to = from;
  }
  return 0;
}

// Where the bytes received after the mismatch at `at` line up with the
// expected stream again (see StreamTrace::skipped and ::inserted).
void align_after_mismatch(const StreamVerifier& v, std::uint64_t at, StreamTrace& trace) {
  const Bytes& after = v.received_after();
  const std::uint64_t rest = v.expected_length() - at;
  if (rest < kMinAlign) {
    // The expected stream ends within kMinAlign bytes of the mismatch ("\n"
    // echoed as "\r\n"): too short to align by, but when everything received
    // from the mismatch on is here and ends with exactly that tail, the bytes
    // before the tail were inserted.
    const bool whole = v.received() == at + after.size();
    if (whole && after.size() > rest && after.size() - rest <= kInsertSearch) {
      const Bytes tail = expected_range(v, at, v.expected_length());
      if (std::equal(tail.begin(), tail.end(), after.end() - static_cast<std::ptrdiff_t>(rest))) {
        trace.inserted = after.size() - rest;
      }
    }
    return;
  }
  if (after.size() < kMinAlign) return;
  const std::size_t run = std::min(after.size(), kAlign);
  const auto run_begin = after.begin();
  const auto run_end = after.begin() + static_cast<std::ptrdiff_t>(run);

  // Added bytes: the expected bytes from `at` on appear a little later. A
  // short run, so that the next insertion (say every line's CR) is not in it.
  const Bytes want = expected_range(v, at, at + kMinAlign);
  if (want.size() == kMinAlign) {
    const std::size_t most = std::min<std::size_t>(kInsertSearch, after.size() - kMinAlign);
    for (std::size_t e = 1; e <= most; ++e) {
      if (std::equal(want.begin(), want.end(), after.begin() + static_cast<std::ptrdiff_t>(e))) {
        trace.inserted = e;
        return;
      }
    }
  }
  // Added bytes again, repeatedly and close together (a newline after every
  // short read): the received run is the expected bytes with one and the same
  // byte value inserted here and there. Random payloads do not do this.
  const Bytes along = expected_range(v, at, at + run);
  std::size_t matched = 0;
  std::size_t added = 0;
  std::size_t leading = 0;
  std::byte added_value = after.front();
  for (std::size_t i = 0; i < run && matched < along.size(); ++i) {
    if (after[i] == along[matched]) {
      ++matched;
    } else if (after[i] == added_value) {
      ++added;
      if (matched == 0) ++leading;
    } else {
      added = run;  // some other byte differs: not an insertion
      break;
    }
  }
  if (leading > 0 && matched >= kMinAlign && added <= matched) {
    trace.inserted = leading;
    return;
  }
  // Lost bytes: the received bytes appear later in the expected stream.
  const std::boyer_moore_horspool_searcher searcher(run_begin, run_end);
  constexpr std::uint64_t kBlock = 64 * 1024;
  const std::uint64_t limit = std::min(v.expected_length(), at + 1 + kSkipSearch + run);
  for (std::uint64_t from = at + 1; from + run <= limit; from += kBlock) {
    const Bytes block = expected_range(v, from, std::min(limit, from + kBlock + run - 1));
    const auto found = std::search(block.begin(), block.end(), searcher);
    if (found != block.end()) {
      trace.skipped = from + static_cast<std::uint64_t>(found - block.begin()) - at;
      return;
    }
  }
}

}  // namespace

StreamTrace trace_stream(const StreamVerifier& v, StreamEnd end, std::uint64_t sent,
                         std::string label) {
  StreamTrace trace;
  trace.label = std::move(label);
  trace.sent = sent;
  trace.expected = v.expected_length();
  trace.received = v.received();
  trace.verified = v.verified();
  trace.extra = v.extra();
  trace.end = end;
  trace.expected_head = expected_range(v, 0, StreamTrace::kHead);
  const Bytes& head = v.received_head();
  trace.received_head.assign(
      head.begin(), head.begin() + static_cast<std::ptrdiff_t>(
                                       std::min<std::size_t>(head.size(), StreamTrace::kHead)));
  trace.through_last_newline = through_last_newline(v, sent);

  // The point of interest: the first mismatch, else where the echo stopped.
  const std::uint64_t point =
      v.mismatch() ? v.mismatch()->offset : std::min(v.received(), v.expected_length());
  if (v.mismatch()) trace.mismatch = point;
  trace.window_start = point - std::min<std::uint64_t>(point, StreamTrace::kWindowBefore);
  trace.expected_window = expected_range(v, trace.window_start, point + StreamTrace::kWindowAfter);
  // Up to the point the received bytes were the expected ones.
  trace.received_window = expected_range(v, trace.window_start, point);
  const Bytes& after = v.received_after();
  trace.received_window.insert(trace.received_window.end(), after.begin(),
                               after.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                   after.size(), StreamTrace::kWindowAfter)));
  if (v.mismatch()) align_after_mismatch(v, point, trace);
  return trace;
}

}  // namespace echo::conformance
