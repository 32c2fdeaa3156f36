#include "conformance/model/case.h"

#include <gtest/gtest.h>

namespace echo::conformance {
namespace {

TEST(Graded, OnlyARequiredCaseFails) {
  EXPECT_EQ(graded(Level::kRequired, Verdict::kFail), Verdict::kFail);
  EXPECT_EQ(graded(Level::kRecommended, Verdict::kFail), Verdict::kWarn);
  EXPECT_EQ(graded(Level::kInformational, Verdict::kFail), Verdict::kInfo);
}

TEST(Graded, AnInformationalCaseNeverWarns) {
  EXPECT_EQ(graded(Level::kInformational, Verdict::kWarn), Verdict::kInfo);
  EXPECT_EQ(graded(Level::kRecommended, Verdict::kWarn), Verdict::kWarn);
  EXPECT_EQ(graded(Level::kRequired, Verdict::kWarn), Verdict::kWarn);
}

TEST(Graded, KeepsPassInfoAndSkipAtEveryLevel) {
  for (Level level : {Level::kRequired, Level::kRecommended, Level::kInformational}) {
    for (Verdict verdict : {Verdict::kPass, Verdict::kInfo, Verdict::kSkip}) {
      EXPECT_EQ(graded(level, verdict), verdict) << to_string(level) << " " << to_string(verdict);
    }
  }
}

}  // namespace
}  // namespace echo::conformance
