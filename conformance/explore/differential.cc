#include "conformance/explore/differential.h"

#include <map>

#include "conformance/explore/verdict.h"
#include "conformance/findings/datagram_symptom.h"

namespace echo::conformance::explore {

Observed observed(const StreamRecord& r) {
  const StreamVerifier& v = r.verifier;
  if (r.end == StreamEnd::kConnectFailed) return {"no connection", "no connection"};
  if (r.client_closed) {
    if (v.ok())
      return {"closed by the script, correct so far", "closed by the script, correct so far"};
    if (!v.mismatch())
      return {"closed by the script, extra bytes", "closed by the script, extra bytes"};
    return {"closed by the script, wrong",
            "closed by the script, wrong from byte " + std::to_string(v.mismatch()->offset)};
  }
  if (v.mismatch()) return {"wrong", "wrong from byte " + std::to_string(v.mismatch()->offset)};
  if (!v.ok()) return {"extra bytes", std::to_string(v.extra()) + " extra bytes"};
  if (v.complete()) {
    const std::string then = std::string("complete, then ") + to_string(r.after);
    return {then, then};
  }
  if (r.end == StreamEnd::kDeadline) return {"slow", "still arriving at the deadline"};
  const std::string end = to_string(r.end);
  return {"short, then " + end, std::to_string(v.received()) + " of " +
                                    std::to_string(v.expected_length()) + " bytes, then " + end};
}

Observed observed(const DatagramRecord& r) {
  const DatagramSymptom s = datagram_symptom(r.trace);
  if (s.kind.empty() || rests_on_loss(s.kind)) return {"answered", "answered (lost replies aside)"};
  return {std::string(s.kind), std::string(s.kind) + ": " + s.detail};
}

std::string Difference::signature() const { return target.shape + " | " + reference.shape; }

std::string Difference::describe() const {
  return channel + ": the target: " + target.detail + "; the reference: " + reference.detail;
}

std::optional<Difference> compare(const Script& script, const ScriptRecord& target,
                                  const ScriptRecord& reference) {
  const std::vector<std::string> names = channel_names(script);
  std::map<ChannelId, std::pair<Observed, Observed>> seen;  // target, reference by channel
  for (const StreamRecord& r : target.streams) seen[r.channel].first = observed(r);
  for (const DatagramRecord& r : target.datagrams) seen[r.channel].first = observed(r);
  for (const StreamRecord& r : reference.streams) seen[r.channel].second = observed(r);
  for (const DatagramRecord& r : reference.datagrams) seen[r.channel].second = observed(r);
  for (const auto& [id, pair] : seen) {
    if (pair.first.shape == pair.second.shape && pair.first.detail == pair.second.detail) continue;
    return Difference{id < names.size() ? names[id] : "#" + std::to_string(id), pair.first,
                      pair.second};
  }
  return std::nullopt;
}

}  // namespace echo::conformance::explore
