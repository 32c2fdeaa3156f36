#include "conformance/cli/check_command.h"

#include <gtest/gtest.h>

#include "conformance/cli/exit_codes.h"
#include "conformance/report/sample_report.h"

namespace echo::conformance::cli {
namespace {

using report::testing::make_result;
using report::testing::sample_report;

TEST(ExitCodeFor, IsOneWhenARequiredCaseFailedOnAJudgedTarget) {
  EXPECT_EQ(exit_code_for(sample_report(), {"mine"}), kExitRequiredFailed);
  EXPECT_EQ(exit_code_for(sample_report(), {}), kExitRequiredFailed);  // all targets judged
}

TEST(ExitCodeFor, IgnoresTargetsThatAreNotJudged) {
  EXPECT_EQ(exit_code_for(sample_report(), {"reference"}), kExitPassed);
}

TEST(ExitCodeFor, IgnoresWarningsAndRecommendedFailures) {
  RunReport report = sample_report();
  report.targets[1].cases[0].verdict = Verdict::kPass;
  report.targets[1].cases.push_back(
      make_result("tcp.extra", Level::kRecommended, Verdict::kFail, "slow"));
  EXPECT_EQ(exit_code_for(report, {}), kExitPassed);
}

}  // namespace
}  // namespace echo::conformance::cli
