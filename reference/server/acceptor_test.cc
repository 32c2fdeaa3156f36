// Acceptor through the Syscalls seam: a connection lost before accept() is
// dropped and counted, as a reset when the client reset it.
#include "reference/server/acceptor.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "core/net/syscalls.h"
#include "reference/server/log.h"

namespace echo::server {
namespace {

int accept_errno = 0;  // what the fake accept4() fails with

int fake_accept4(int, sockaddr*, socklen_t*, int) {
  errno = accept_errno;
  return -1;
}

Accepted accept_failing_with(int error, Counters& counters) {
  Syscalls fake = real_syscalls();
  fake.accept4 = fake_accept4;
  ScopedSyscalls scope(fake);
  accept_errno = error;
  const Logger quiet(true);
  Acceptor acceptor(counters, quiet);
  return acceptor.accept(/*listener=*/3);
}

TEST(Acceptor, AConnectionTheClientAbortedIsDroppedAndCountedAsAReset) {
  Counters counters;
  EXPECT_EQ(accept_failing_with(ECONNABORTED, counters).kind, Accepted::kDropped);
  EXPECT_EQ(counters.resets, 1u);
  EXPECT_EQ(counters.errors, 0u);
}

TEST(Acceptor, OtherLostConnectionsAreErrors) {
  Counters counters;
  EXPECT_EQ(accept_failing_with(EPROTO, counters).kind, Accepted::kDropped);
  EXPECT_EQ(counters.errors, 1u);
  EXPECT_EQ(counters.resets, 0u);
}

TEST(Acceptor, NothingPendingIsNeither) {
  Counters counters;
  EXPECT_EQ(accept_failing_with(EAGAIN, counters).kind, Accepted::kNone);
  EXPECT_EQ(counters.errors + counters.resets, 0u);
}

}  // namespace
}  // namespace echo::server
