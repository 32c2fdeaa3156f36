// Rules for where and how echoed streams stop: at a fixed size, after the
// first read, at the client's half-close, slowly; and the leftover rule that
// names what single streams show when no pattern across cases does.
#include <algorithm>
#include <map>
#include <sstream>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance::internal {
namespace {

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

bool clean_short(const StreamTrace& t) {
  return !t.mismatch && t.received > 0 && t.received < t.expected &&
         (t.end == StreamEnd::kFin || t.end == StreamEnd::kReset || t.end == StreamEnd::kStalled);
}

// The results among `open` with a trace that passes `test`.
template <class Test>
std::vector<const CaseResult*> with_trace(const std::vector<const CaseResult*>& open, Test test) {
  std::vector<const CaseResult*> out;
  for (const CaseResult* result : open) {
    const auto& all = streams(*result);
    if (std::any_of(all.begin(), all.end(), test)) out.push_back(result);
  }
  return out;
}

// Whether some stream got more than n bytes back intact: a case that carries a
// long stream on one connection passed (a passed case keeps no trace to read
// the length from, so their lengths are listed), or a failed case's stream
// went past n before it failed.
bool longer_stream_seen(const Diagnosis& d, std::uint64_t n) {
  constexpr std::pair<std::string_view, std::uint64_t> kLongStreams[] = {
      {"tcp.segment.large-write", 1u << 20},
      {"tcp.segment.random-chunks", 1u << 20},
      {"tcp.segment.stream-64mib", 64u << 20},
      {"tcp.flow.backpressure", 8u << 20},
      {"tcp.close.echo-after-shutdown", 256u << 10}};
  if (std::any_of(std::begin(kLongStreams), std::end(kLongStreams), [&](const auto& stream) {
        return stream.second > n && d.passed(stream.first);
      })) {
    return true;
  }
  // A stream that failed later, after more than n bytes came back intact.
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    for (const StreamTrace& t : streams(*result)) {
      if (t.verified > n) return true;
    }
  }
  return false;
}

void stream_cut(Diagnosis& d) {
  // Where clean short streams stopped -> how many streams, in how many cases.
  std::map<std::uint64_t, std::pair<int, int>> at;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    std::vector<std::uint64_t> here;
    for (const StreamTrace& t : streams(*result)) {
      if (!clean_short(t)) continue;
      ++at[t.received].first;
      if (std::find(here.begin(), here.end(), t.received) == here.end()) {
        here.push_back(t.received);
        ++at[t.received].second;
      }
    }
  }
  auto most = std::max_element(at.begin(), at.end(), [](const auto& a, const auto& b) {
    return a.second.second < b.second.second;
  });
  // A fixed size shows as the same count in different cases, not by chance in one.
  if (most == at.end() || most->second.second < 2) return;
  const std::uint64_t n = most->first;
  // The same count in two cases that send alike (a deadlock under the same
  // back-pressure) is no size limit when a longer stream came back whole.
  if (longer_stream_seen(d, n)) return;
  const auto explained = with_trace(d.open(Transport::kTcp), [n](const StreamTrace& t) {
    return clean_short(t) && t.received == n;
  });
  d.add("stream-cut", "every connection stops after " + grouped(n) + " bytes",
        std::to_string(most->second.first) + " streams of " + std::to_string(explained.size()) +
            " cases stopped at exactly " + grouped(n) + " bytes, whatever their size and data (" +
            explained.front()->info.id + ": " + explained.front()->observation.evidence +
            "). Likely cause: " + std::string(find_kind("stream-cut")->cause),
        explained);
}

void first_read_only(Diagnosis& d) {
  const CaseResult* two = d.find("tcp.echo.two-messages");
  if (two == nullptr || d.explained(*two) || !d.fell_short(two->info.id) ||
      !d.passed("tcp.echo.text")) {
    return;
  }
  const auto& traces = streams(*two);
  const bool shown = std::any_of(traces.begin(), traces.end(), [](const StreamTrace& t) {
    return stream_symptom(t).kind == "first-read-only";
  });
  if (!shown) return;
  // Any stream that stopped cleanly partway is the same defect (what came back
  // is whatever the server's one read got), and so is a later message on a
  // connection that got nothing back.
  auto explained = with_trace(d.open(Transport::kTcp), [](const StreamTrace& t) {
    const bool partway =
        !t.mismatch && t.received > 0 && t.received < t.expected && t.end != StreamEnd::kDeadline;
    const bool later_message = t.received == 0 && t.connection_offset > 0;
    return partway || later_message;
  });
  if (std::find(explained.begin(), explained.end(), two) == explained.end()) {
    explained.insert(explained.begin(), two);
  }
  d.add("first-read-only", "only the first read of a connection is echoed",
        "tcp.echo.two-messages: " + two->observation.evidence +
            ". Longer streams stopped after the first chunk too. Likely cause: " +
            std::string(find_kind("first-read-only")->cause),
        explained);
}

bool lost_tail(const StreamTrace& t) {
  return t.client_shut_down && !t.mismatch && t.received < t.expected &&
         (t.end == StreamEnd::kFin || t.end == StreamEnd::kReset);
}

void half_close(Diagnosis& d) {
  const auto open = d.open(Transport::kTcp);
  const auto tail = with_trace(open, lost_tail);
  if (!tail.empty()) {
    const CaseResult& example = *tail.front();
    const StreamTrace* first = nullptr;
    int lost = 0;
    for (const StreamTrace& t : streams(example)) {
      if (!lost_tail(t)) continue;
      ++lost;
      if (first == nullptr) first = &t;
    }
    const std::optional<double> trials = figure(example, "trials");
    std::string count;
    if (trials) {
      count = std::to_string(lost) + " of " + std::to_string(static_cast<int>(*trials)) +
              " trials lost the tail";
      if (lost < static_cast<int>(*trials)) count += " (a race: it depends on timing)";
      count += "; ";
    }
    d.add("half-close-tail-lost", "the tail of the echo is lost when the client half-closes",
          example.info.id + ": " + count + first->label + ": " + grouped(first->received) + " of " +
              grouped(first->expected) + " bytes came back, then " + to_string(first->end) + ", " +
              grouped(first->expected - first->received) +
              " bytes lost. Likely cause: " + std::string(find_kind("half-close-tail-lost")->cause),
          tail);
  }
  const auto never = with_trace(d.open(Transport::kTcp), [](const StreamTrace& t) {
    return t.client_shut_down && t.after == AfterEcho::kNothing;
  });
  if (!never.empty()) {
    d.add("half-close-never-closed", "the server never closes after the client's half-close",
          never.front()->info.id + ": " + never.front()->observation.evidence +
              ". Likely cause: " + std::string(find_kind("half-close-never-closed")->cause),
          never);
  }
}

void slow_echo(Diagnosis& d) {
  std::vector<const CaseResult*> slow;
  double rate = 0;
  for (const CaseResult* result : d.open()) {
    if (result->observation.kind != Observation::Kind::kSlow) continue;
    slow.push_back(result);
    for (const StreamTrace& t : streams(*result)) rate = std::max(rate, t.bytes_per_second);
  }
  if (slow.empty()) return;
  std::ostringstream rate_text;
  rate_text.precision(rate >= 1e6 ? 3 : 4);
  rate_text << (rate >= 1e6 ? rate / 1e6 : rate / 1e3) << (rate >= 1e6 ? " MB/s" : " kB/s");
  d.add("slow-echo", "the echo is correct but slow: " + rate_text.str(),
        slow.front()->info.id + ": " + slow.front()->observation.evidence +
            ". Every byte that came back was right; slowness is reported, never failed. Likely "
            "cause: " +
            std::string(find_kind("slow-echo")->cause),
        slow);
}

}  // namespace

void stream_rules(Diagnosis& d) {
  first_read_only(d);  // its first read may be a buffer's worth: before the fixed-size rule
  stream_cut(d);
  half_close(d);
  slow_echo(d);
}

void leftover_rules(Diagnosis& d) {
  // Grouped by what each result's first telling stream shows.
  std::map<std::string_view, std::vector<const CaseResult*>> by_kind;
  std::map<std::string_view, std::string> first_detail;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    for (const StreamTrace& t : streams(*result)) {
      StreamSymptom symptom = stream_symptom(t);
      if (symptom.kind.empty()) continue;
      // These two need controls (content_rules); when those did not hold, the
      // stream only shows that it stopped.
      if (symptom.kind == "nul-cut" || symptom.kind == "line-buffered") symptom.kind = "stalls";
      if (by_kind[symptom.kind].empty()) {
        first_detail[symptom.kind] = where(*result, t) + ": " + symptom.detail;
      }
      by_kind[symptom.kind].push_back(result);
      break;
    }
  }
  for (const auto& [kind, cases] : by_kind) {
    const FindingKind* k = find_kind(kind);
    if (k == nullptr) continue;
    d.add(*k, std::string(k->title),
          first_detail[kind] + ". Likely cause: " + std::string(k->cause), cases);
  }
}

}  // namespace echo::conformance::internal
