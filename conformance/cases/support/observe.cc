#include "conformance/cases/support/observe.h"

#include <utility>

namespace echo::conformance {
namespace {

Observation make(Observation::Kind kind, std::string evidence) {
  Observation o;
  o.kind = kind;
  o.evidence = std::move(evidence);
  return o;
}

}  // namespace

Observation met(std::string evidence) { return make(Observation::Kind::kMet, std::move(evidence)); }

Observation shortfall(Problem problem) {
  Observation o = make(problem.slow ? Observation::Kind::kSlow : Observation::Kind::kShortfall,
                       std::move(problem.evidence));
  o.expected = std::move(problem.expected);
  o.actual = std::move(problem.actual);
  o.streams = std::move(problem.streams);
  o.datagrams = std::move(problem.datagrams);
  o.figures = std::move(problem.figures);
  return o;
}

Observation measured(std::vector<Figure> figures, std::string evidence) {
  Observation o = make(Observation::Kind::kMeasured, std::move(evidence));
  o.figures = std::move(figures);
  return o;
}

Observation not_judged(std::string why) {
  return make(Observation::Kind::kNotJudged, std::move(why));
}

Observation skipped(std::string why) { return make(Observation::Kind::kSkipped, std::move(why)); }

}  // namespace echo::conformance
