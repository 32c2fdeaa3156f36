#include "reference/client/transfer.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <string>
#include <vector>

#include "core/net/fd.h"
#include "core/net/io.h"
#include "core/net/syscalls.h"
#include "reference/client/compare.h"
#include "reference/client/connect.h"

namespace echo::client {
namespace {

// A connected pair of non-blocking stream sockets.
std::array<Fd, 2> socket_pair() {
  std::array<int, 2> fds{-1, -1};
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds.data()), 0);
  return {Fd(fds[0]), Fd(fds[1])};
}

// Real sends and receives, each of one byte at most.
class OneByteAtATime : public ForwardingSyscalls {
 public:
  ssize_t send(int fd, const void* data, size_t n, int flags) override {
    ++sends;
    return next().send(fd, data, n > 1 ? 1 : n, flags);
  }
  ssize_t recv(int fd, void* data, size_t n, int flags) override {
    ++receives;
    return next().recv(fd, data, n > 1 ? 1 : n, flags);
  }
  int sends = 0;
  int receives = 0;
};

constexpr Seconds kTimeout{5.0};

TEST(Transfer, ShortSendsAndReceivesStillMoveEveryByte) {
  std::array<Fd, 2> pair = socket_pair();
  OneByteAtATime fake;
  ASSERT_TRUE(write_all(pair[0].get(), as_bytes("hello, world"), deadline_after(kTimeout), fake));
  std::vector<std::byte> got(12);
  ASSERT_TRUE(receive_exact(pair[1].get(), got, kTimeout, fake).ok());
  EXPECT_FALSE(first_difference(as_bytes("hello, world"), got));
  EXPECT_EQ(fake.sends, 12);
  EXPECT_EQ(fake.receives, 12);
}

TEST(Transfer, PeerClosingBeforeTheWholeEchoIsClosedEarly) {
  std::array<Fd, 2> pair = socket_pair();
  ASSERT_TRUE(write_all(pair[1].get(), as_bytes("ab"), deadline_after(kTimeout)));
  pair[1].reset();
  std::vector<std::byte> got(5);
  ExitReason reason = receive_exact(pair[0].get(), got, kTimeout);
  EXPECT_EQ(reason.code, ExitCode::kClosedEarly);
  EXPECT_NE(reason.message.find("after 2 of 5"), std::string::npos) << reason.message;
}

TEST(Transfer, SilentPeerIsATimeout) {
  std::array<Fd, 2> pair = socket_pair();
  std::vector<std::byte> got(1);
  EXPECT_EQ(receive_exact(pair[0].get(), got, Seconds(0.05)).code, ExitCode::kTimeout);
}

TEST(Transfer, ResetAndRefusalMapToTheirExitCodes) {
  EXPECT_EQ(exit_code_for(std::error_code(ECONNRESET, std::generic_category())),
            ExitCode::kClosedEarly);
  EXPECT_EQ(exit_code_for(std::error_code(EPIPE, std::generic_category())), ExitCode::kClosedEarly);
  EXPECT_EQ(exit_code_for(std::error_code(ECONNREFUSED, std::generic_category())),
            ExitCode::kUnreachable);
  EXPECT_EQ(exit_code_for(std::make_error_code(std::errc::timed_out)), ExitCode::kTimeout);
  EXPECT_EQ(exit_code_for(std::error_code(EMFILE, std::generic_category())), ExitCode::kLocalError);
}

}  // namespace
}  // namespace echo::client
