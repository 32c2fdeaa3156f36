#include "conformance/explore/outcome.h"

#include "conformance/findings/stream_symptom.h"

namespace echo::conformance::explore {
namespace {

// What the target's own record of the differing channel says, when the
// findings have a name for it (a server that keeps the connection open after
// the half-close: half-close-never-closed).
std::string difference_finding(const Script& script, const ScriptRecord& target,
                               const Difference& difference) {
  const std::vector<std::string> names = channel_names(script);
  for (const StreamRecord& r : target.streams) {
    if (r.channel >= names.size() || names[r.channel] != difference.channel) continue;
    const StreamSymptom symptom = stream_symptom(trace_of(r, difference.channel));
    if (!symptom.kind.empty()) return std::string(symptom.kind);
  }
  return std::string(kDiffersFromReference);
}

}  // namespace

Signature Outcome::signature() const {
  if (verdict.failed()) return {verdict.finding(), ""};
  if (difference) return {difference_finding, difference->signature()};
  if (target_stopped) return {std::string(kServerStopped), ""};
  return {};
}

bool Outcome::shows(const Signature& s) const {
  if (s.finding == kServerStopped) return target_stopped;
  if (!s.difference.empty()) return difference && difference->signature() == s.difference;
  return verdict.shows(s.finding);
}

std::string Outcome::detail() const {
  if (verdict.failed())
    return verdict.failures.front().channel + ": " + verdict.failures.front().detail;
  if (difference) return difference->describe();
  if (target_stopped) return "the server refused new connections after this script";
  return "";
}

Outcome outcome_of(const Script& script, const ScriptRecord& target, const ScriptRecord* reference,
                   bool target_stopped) {
  Outcome o;
  o.verdict = judge(script, target);
  o.target_stopped = target_stopped;
  if (reference != nullptr) {
    o.difference = compare(script, target, *reference);
    if (o.difference) o.difference_finding = difference_finding(script, target, *o.difference);
  }
  return o;
}

}  // namespace echo::conformance::explore
