#include "reference/server/listen_fds.h"

#include <gtest/gtest.h>

namespace echo::server {
namespace {

constexpr pid_t kSelf = 4242;

int count_of(const char* pid, const char* fds) {
  Result<int> count = parse_listen_fds(pid, fds, kSelf);
  EXPECT_TRUE(count) << count.error().message;
  return count ? *count : -1;
}

TEST(ListenFds, CountsTheDescriptorsPassedToThisProcess) {
  EXPECT_EQ(count_of("4242", "1"), 1);
  EXPECT_EQ(count_of("4242", "4"), 4);
}

TEST(ListenFds, NothingPassedWithoutTheVariables) {
  EXPECT_EQ(count_of(nullptr, nullptr), 0);
  EXPECT_EQ(count_of(nullptr, "2"), 0);
  EXPECT_EQ(count_of("4242", nullptr), 0);
}

TEST(ListenFds, DescriptorsMeantForAnotherProcessAreNotTaken) {
  EXPECT_EQ(count_of("4243", "2"), 0);
  EXPECT_EQ(count_of("1", "2"), 0);
}

TEST(ListenFds, MalformedValuesAreErrorsNamingTheVariable) {
  for (const char* pid : {"", "abc", "42x", " 4242", "-4242", "0", "99999999999999999999"}) {
    Result<int> count = parse_listen_fds(pid, "1", kSelf);
    ASSERT_FALSE(count) << pid;
    EXPECT_NE(count.error().message.find("LISTEN_PID"), std::string::npos);
  }
  for (const char* fds : {"", "two", "2 ", "0", "-1", "65537", "99999999999999999999"}) {
    Result<int> count = parse_listen_fds("4242", fds, kSelf);
    ASSERT_FALSE(count) << fds;
    EXPECT_NE(count.error().message.find("LISTEN_FDS"), std::string::npos);
  }
}

}  // namespace
}  // namespace echo::server
