#include "core/util/result.h"

#include <gtest/gtest.h>

#include <string>

namespace echo {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error{std::string("not a digit: ") + c};
  return c - '0';
}

Status need_even(int n) {
  if (n % 2 != 0) return Error{"odd", std::make_error_code(std::errc::invalid_argument)};
  return {};
}

// Two digits, both even, summed: every early return goes through the macros.
Result<int> sum_of_even_digits(char a, char b) {
  ECHO_ASSIGN_OR_RETURN(const int first, parse_digit(a));
  ECHO_ASSIGN_OR_RETURN(const int second, parse_digit(b).with_context("second digit"));
  ECHO_TRY(need_even(first));
  ECHO_TRY(need_even(second).with_context("second digit"));
  return first + second;
}

TEST(Result, AssignOrReturnGivesTheValueOrReturnsTheError) {
  EXPECT_EQ(sum_of_even_digits('2', '4').value(), 6);
  const Result<int> bad_first = sum_of_even_digits('x', '4');
  ASSERT_FALSE(bad_first);
  EXPECT_EQ(bad_first.error().message, "not a digit: x");
  const Result<int> bad_second = sum_of_even_digits('2', 'y');
  ASSERT_FALSE(bad_second);
  EXPECT_EQ(bad_second.error().message, "second digit: not a digit: y");
}

TEST(Result, TryReturnsAFailedStatusWithItsCodeAndContext) {
  const Result<int> odd = sum_of_even_digits('2', '3');
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message, "second digit: odd");
  EXPECT_EQ(odd.error().code, std::make_error_code(std::errc::invalid_argument));
  EXPECT_EQ(sum_of_even_digits('1', '2').error().message, "odd");
}

TEST(Result, HasTheNamesOfStdExpected) {
  const Result<int> good = 7;
  const Result<int> bad = Error{"no"};
  EXPECT_TRUE(good.has_value());
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(good.value_or(0), 7);
  EXPECT_EQ(bad.value_or(-1), -1);
  EXPECT_TRUE(Status{}.has_value());
}

TEST(Result, ContextLeavesAValueAlone) {
  Result<std::string> good = std::string("kept");
  EXPECT_EQ(std::move(good).with_context("ignored").value(), "kept");
}

TEST(ResultDeathTest, ValueOfAnErrorAbortsWithItsMessage) {
  const Result<int> bad = Error{"port 70000 is out of range"};
  EXPECT_DEATH((void)bad.value(), "value\\(\\) of a Result that holds an error: port 70000");
}

}  // namespace
}  // namespace echo
