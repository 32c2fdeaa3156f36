// Outcome: everything one run of a script showed, and the failure it stands
// for, as a Signature the campaign confirms, deduplicates and shrinks by: the
// echo model's finding on the target (verdict.h), else a difference from the
// reference (differential.h), else that the target stopped serving. Two runs
// fail "the same way" when they show the same signature; for an echo-model
// failure that is the finding id alone, so shrinking keeps the defect, not
// the sizes.
//
// Example:
//   Outcome o = outcome_of(script, on_target, &on_reference, /*target_stopped=*/false);
//   Signature s = o.signature();     // {"nul-cut", ""}
//   later_outcome.shows(s);          // the shrinker's "still fails"
#pragma once

#include <optional>
#include <string>

#include "conformance/explore/differential.h"
#include "conformance/explore/verdict.h"

namespace echo::conformance::explore {

// The finding id of a stopped target (findings/kinds.h).
inline constexpr std::string_view kServerStopped = "server-stopped";
// The finding id of a difference from the reference that the echo model
// alone does not name.
inline constexpr std::string_view kDiffersFromReference = "differs-from-reference";

struct Signature {
  std::string finding;     // a finding id; empty: no failure
  std::string difference;  // a Difference::signature(), for differential failures
  [[nodiscard]] bool empty() const noexcept { return finding.empty(); }
  [[nodiscard]] std::string key() const {
    return difference.empty() ? finding : finding + " / " + difference;
  }
  friend bool operator==(const Signature&, const Signature&) = default;
};

struct Outcome {
  Verdict verdict;                       // the echo model on the target
  std::optional<Difference> difference;  // differential runs: the first difference
  std::string difference_finding;        // its finding id (a symptom of the target, or
                                         // kDiffersFromReference)
  bool target_stopped = false;           // the target refused connections after the run

  [[nodiscard]] Signature signature() const;
  [[nodiscard]] bool shows(const Signature& signature) const;
  // One sentence of evidence for the signature's failure.
  [[nodiscard]] std::string detail() const;
};

// `reference` is null for runs that are not differential.
[[nodiscard]] Outcome outcome_of(const Script& script, const ScriptRecord& target,
                                 const ScriptRecord* reference, bool target_stopped);

}  // namespace echo::conformance::explore
