#include "conformance/report/summary.h"

#include <gtest/gtest.h>

#include "conformance/report/sample_report.h"

namespace echo::conformance::report {
namespace {

TEST(CountVerdicts, CountsEachVerdictAndOnlyRequiredFailuresAsRequired) {
  RunReport report = testing::sample_report();
  report.targets[1].cases.push_back(
      testing::make_result("tcp.extra", Level::kRecommended, Verdict::kFail));
  const VerdictCounts counts = count_verdicts(report.targets[1]);
  EXPECT_EQ(counts.pass, 1);
  EXPECT_EQ(counts.fail, 2);
  EXPECT_EQ(counts.required_failures, 1);
  EXPECT_EQ(counts.warn, 1);
  EXPECT_EQ(counts.info, 1);
  EXPECT_EQ(counts.skip, 1);
  EXPECT_EQ(counts.not_judged, 1);
  EXPECT_EQ(counts.total(), 7);
  EXPECT_EQ(counts.duration, std::chrono::milliseconds(35));
}

TEST(ReferenceTarget, FindsTheTargetMarkedAsReference) {
  RunReport report = testing::sample_report();
  ASSERT_NE(reference_target(report), nullptr);
  EXPECT_EQ(reference_target(report)->name, "reference");
  report.targets[0].is_reference = false;
  EXPECT_EQ(reference_target(report), nullptr);
}

TEST(FormatDuration, UsesMillisecondsBelowTenSeconds) {
  EXPECT_EQ(format_duration(std::chrono::milliseconds(9999)), "9999 ms");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(15300)), "15.3 s");
}

}  // namespace
}  // namespace echo::conformance::report
