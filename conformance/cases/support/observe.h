// Building Observations (model/case.h). A case says what it saw; the runner
// grades it by the case's level, so nothing here names a verdict.
//
// Example:
//   if (auto problem = echo_once(context, message, reply_wait(context)))
//     return shortfall(std::move(*problem));
//   return met();
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "conformance/model/case.h"

namespace echo::conformance {

// What is wrong with an exchange, as Observation fields, with the traces of
// what was sent and received (for the findings).
struct Problem {
  Problem() = default;
  Problem(std::string evidence_, std::string expected_, std::string actual_)
      : evidence(std::move(evidence_)),
        expected(std::move(expected_)),
        actual(std::move(actual_)) {}

  std::string evidence;
  std::string expected;
  std::string actual;
  std::vector<StreamTrace> streams;
  std::vector<DatagramTrace> datagrams;
  std::vector<Figure> figures;
  // Nothing was wrong, but the echo was still arriving when the deadline passed.
  bool slow = false;
};

[[nodiscard]] Observation met(std::string evidence = {});
// A shortfall, or a kSlow observation when problem.slow.
[[nodiscard]] Observation shortfall(Problem problem);
[[nodiscard]] Observation measured(std::vector<Figure> figures, std::string evidence = {});
// The case cannot tell: `why` names the precondition that failed.
[[nodiscard]] Observation not_judged(std::string why);
[[nodiscard]] Observation skipped(std::string why);

}  // namespace echo::conformance
