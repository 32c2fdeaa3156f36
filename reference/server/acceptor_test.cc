// Acceptor through the Syscalls seam: a connection lost before accept() is
// dropped and counted, as a reset when the client reset it.
#include "reference/server/acceptor.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "core/net/syscalls.h"
#include "reference/server/log.h"

namespace echo::server {
namespace {

// accept4() fails with the errno given; the rest (the spare descriptor) is real.
class FailingAccept : public ForwardingSyscalls {
 public:
  explicit FailingAccept(int error) : error_(error) {}
  int accept4(int, sockaddr*, socklen_t*, int) override {
    errno = error_;
    return -1;
  }

 private:
  int error_;
};

Accepted accept_failing_with(int error, Counters& counters) {
  FailingAccept fake(error);
  const Logger quiet(true);
  Acceptor acceptor(fake, counters, quiet);
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
