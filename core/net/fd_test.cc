#include "core/net/fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/net/syscalls.h"

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

// Records the descriptors closed through it, and closes none.
class RecordsCloses : public ForwardingSyscalls {
 public:
  int close(int fd) override {
    closed.push_back(fd);
    return 0;
  }
  std::vector<int> closed;
};

TEST(Fd, ADescriptorFromASeamIsClosedThroughIt) {
  RecordsCloses fake;
  { Fd fd(1'000'001, fake); }
  EXPECT_EQ(fake.closed, std::vector<int>{1'000'001});
}

TEST(Fd, TheSeamMovesWithTheDescriptor) {
  RecordsCloses first;
  RecordsCloses second;
  Fd a(1'000'001, first);
  Fd b(1'000'002, second);
  Fd moved(std::move(a));
  b = std::move(moved);  // closes 1'000'002 through `second`; b now closes through `first`
  EXPECT_EQ(second.closed, std::vector<int>{1'000'002});
  EXPECT_TRUE(first.closed.empty());
  b.reset();
  EXPECT_EQ(first.closed, std::vector<int>{1'000'001});
  EXPECT_EQ(second.closed.size(), 1u);
}

TEST(Fd, WithoutASeamTheRealCloseIsUsed) {
  int raw = open_dev_null();
  ASSERT_GE(raw, 0);
  Fd fd(raw);
  Fd other = std::move(fd);
  other.reset();
  EXPECT_FALSE(is_open(raw));
}

}  // namespace
}  // namespace echo
