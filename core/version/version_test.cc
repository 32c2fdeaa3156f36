#include "core/version/version.h"

#include <gtest/gtest.h>

namespace echo {
namespace {

TEST(Version, ProjectVersionIsThreeNumbers) {
  std::string_view version = project_version();
  int dots = 0;
  for (char c : version) {
    if (c == '.') {
      ++dots;
    } else {
      EXPECT_TRUE(c >= '0' && c <= '9') << version;
    }
  }
  EXPECT_EQ(dots, 2) << version;
}

TEST(Version, LineNamesProgramVersionAndGitDescriptionWhenKnown) {
  std::string expected = "echo-server " + std::string(project_version());
  if (!git_description().empty()) expected += " (git " + std::string(git_description()) + ")";
  EXPECT_EQ(version_line("echo-server"), expected);
}

}  // namespace
}  // namespace echo
