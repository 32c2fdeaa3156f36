#include "core/util/check.h"

#include <gtest/gtest.h>

namespace echo {
namespace {

int halve_even(int n) {
  ECHO_CHECK(n % 2 == 0, "halve_even() of an odd number");
  return n / 2;
}

TEST(Check, AHeldPreconditionDoesNothing) { EXPECT_EQ(halve_even(8), 4); }

TEST(CheckDeathTest, ABrokenPreconditionAbortsNamingTheConditionAndWhy) {
  EXPECT_DEATH(
      (void)halve_even(3),
      "check_test.cc:[0-9]+: precondition failed: n % 2 == 0 \\(halve_even\\(\\) of an odd "
      "number\\)");
}

}  // namespace
}  // namespace echo
