#include "conformance/model/case.h"

#include <gtest/gtest.h>

namespace echo::conformance {
namespace {

using Kind = Observation::Kind;

TEST(Grade, AShortfallFailsOnlyARequiredCase) {
  EXPECT_EQ(grade(Level::kRequired, Kind::kShortfall), Verdict::kFail);
  EXPECT_EQ(grade(Level::kRecommended, Kind::kShortfall), Verdict::kWarn);
  EXPECT_EQ(grade(Level::kInformational, Kind::kShortfall), Verdict::kInfo);
}

TEST(Grade, SlownessIsNeverAFail) {
  EXPECT_EQ(grade(Level::kRequired, Kind::kSlow), Verdict::kWarn);
  EXPECT_EQ(grade(Level::kRecommended, Kind::kSlow), Verdict::kWarn);
  EXPECT_EQ(grade(Level::kInformational, Kind::kSlow), Verdict::kInfo);
}

TEST(Grade, TheOtherKindsMeanTheSameAtEveryLevel) {
  for (Level level : {Level::kRequired, Level::kRecommended, Level::kInformational}) {
    EXPECT_EQ(grade(level, Kind::kMet), Verdict::kPass) << to_string(level);
    EXPECT_EQ(grade(level, Kind::kMeasured), Verdict::kInfo) << to_string(level);
    EXPECT_EQ(grade(level, Kind::kNotJudged), Verdict::kNotJudged) << to_string(level);
    EXPECT_EQ(grade(level, Kind::kSkipped), Verdict::kSkip) << to_string(level);
  }
}

TEST(Names, AreStable) {
  EXPECT_STREQ(to_string(Verdict::kNotJudged), "not-judged");
  EXPECT_STREQ(to_string(Schedule::kHazard), "hazard");
  EXPECT_STREQ(to_string(Finding::Severity::kError), "error");
  EXPECT_STREQ(to_string(StreamEnd::kStalled), "stalled");
}

}  // namespace
}  // namespace echo::conformance
