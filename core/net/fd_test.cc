#include "core/net/fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

namespace echo {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

int open_dev_null() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

TEST(Fd, DestructorCloses) {
  int raw = open_dev_null();
  ASSERT_GE(raw, 0);
  { Fd fd(raw); }
  EXPECT_FALSE(is_open(raw));
}

TEST(Fd, ReleaseGivesUpOwnershipWithoutClosing) {
  int raw = open_dev_null();
  Fd fd(raw);
  EXPECT_EQ(fd.release(), raw);
  EXPECT_FALSE(fd.valid());
  EXPECT_TRUE(is_open(raw));
  ::close(raw);
}

TEST(Fd, MoveTransfersOwnershipAndAssignmentClosesTheOld) {
  int first = open_dev_null();
  int second = open_dev_null();
  Fd a(first);
  Fd b(std::move(a));
  EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(b.get(), first);

  b = Fd(second);
  EXPECT_FALSE(is_open(first));
  EXPECT_EQ(b.get(), second);
  EXPECT_TRUE(is_open(second));
}

}  // namespace
}  // namespace echo
