#include "conformance/explore/verdict.h"

#include "conformance/findings/datagram_symptom.h"
#include "conformance/findings/stream_symptom.h"

namespace echo::conformance::explore {

std::string Verdict::finding() const { return failures.empty() ? "" : failures.front().finding; }

bool Verdict::shows(std::string_view finding) const noexcept {
  for (const ChannelFailure& f : failures) {
    if (f.finding == finding) return true;
  }
  return false;
}

bool stream_failed(const StreamRecord& r) noexcept {
  const StreamVerifier& v = r.verifier;
  if (r.end == StreamEnd::kConnectFailed) return false;  // the server's absence, judged apart
  if (!v.ok()) return true;
  if (r.client_closed || v.complete()) return false;
  return r.end != StreamEnd::kDeadline;  // still arriving at the deadline: slow, not wrong
}

bool rests_on_loss(std::string_view finding) noexcept {
  return finding == "udp-silent" || finding == "udp-empty-ignored";
}

Verdict judge(const Script& script, const ScriptRecord& record) {
  Verdict verdict;
  verdict.connect_refused = record.connect_refused();
  verdict.deadline_passed = record.deadline_passed;
  const std::vector<std::string> names = channel_names(script);
  const auto name_of = [&names](ChannelId id) {
    return id < names.size() ? names[id] : "#" + std::to_string(id);
  };
  // Channels in id order: merge the two lists, each in id order.
  std::size_t s = 0;
  std::size_t d = 0;
  while (s < record.streams.size() || d < record.datagrams.size()) {
    const bool stream_next =
        d == record.datagrams.size() ||
        (s < record.streams.size() && record.streams[s].channel < record.datagrams[d].channel);
    if (stream_next) {
      const StreamRecord& r = record.streams[s++];
      if (!stream_failed(r)) continue;
      StreamTrace trace = trace_of(r, name_of(r.channel));
      StreamSymptom symptom = stream_symptom(trace);
      if (symptom.kind.empty())
        symptom = {"stalls", "the echo ended " + std::string(to_string(r.end))};
      verdict.failures.push_back({name_of(r.channel), std::string(symptom.kind),
                                  std::move(symptom.detail), std::move(trace), std::nullopt});
      continue;
    }
    const DatagramRecord& r = record.datagrams[d++];
    DatagramSymptom symptom = datagram_symptom(r.trace);
    if (symptom.kind.empty()) continue;
    DatagramTrace trace = r.trace;
    trace.label = name_of(r.channel);
    verdict.failures.push_back({name_of(r.channel), std::string(symptom.kind),
                                std::move(symptom.detail), std::nullopt, std::move(trace)});
  }
  return verdict;
}

}  // namespace echo::conformance::explore
