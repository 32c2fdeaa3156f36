// pump_session through the Syscalls seam: what it counts when a receive or a
// send fails, and that it echoes what it receives. No sockets: the fakes play
// a peer that sends a few bytes and then resets, or a network that fails.
#include "reference/server/session_pump.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/net/syscalls.h"

namespace echo::server {
namespace {

// The client at the other end of the connection, as recv() and send() see it.
class Peer : public ForwardingSyscalls {
 public:
  Peer() = default;
  Peer(std::string bytes, int receive_error, int send_error)
      : to_send(std::move(bytes)), then_errno(receive_error), send_errno(send_error) {}

  std::string to_send;  // what the next recv() returns, then `then_errno`
  int then_errno = EAGAIN;
  int send_errno = 0;  // 0: sends succeed and are kept in `echoed`
  std::string echoed;

  ssize_t recv(int, void* buffer, size_t length, int) override {
    if (to_send.empty()) {
      errno = then_errno;
      return -1;
    }
    const size_t n = std::min(length, to_send.size());
    std::memcpy(buffer, to_send.data(), n);
    to_send.erase(0, n);
    return static_cast<ssize_t>(n);
  }

  ssize_t send(int, const void* buffer, size_t length, int) override {
    if (send_errno != 0) {
      errno = send_errno;
      return -1;
    }
    echoed.append(static_cast<const char*>(buffer), length);
    return static_cast<ssize_t>(length);
  }
};

class SessionPumpTest : public ::testing::Test {
 protected:
  // Pumps once, through a scratch buffer (the epoll model) or without one
  // (the iterative and fork models).
  static void pump(Peer& peer, bool with_scratch, EchoSession& session, Counters& counters) {
    std::array<std::byte, 64> scratch{};
    pump_session(peer, /*fd=*/3, session, counters,
                 with_scratch ? std::span<std::byte>(scratch) : std::span<std::byte>());
  }
  void pump(bool with_scratch) { pump(peer_, with_scratch, session_, counters_); }

  void expect_counted(std::uint64_t resets, std::uint64_t errors) const {
    EXPECT_EQ(counters_.resets, resets);
    EXPECT_EQ(counters_.errors, errors);
  }

  Peer peer_;
  EchoSession session_{1024};
  Counters counters_;
};

class SessionPumpBothPaths : public SessionPumpTest, public ::testing::WithParamInterface<bool> {};

TEST_P(SessionPumpBothPaths, EchoesWhatArrivesAndCountsNoFailure) {
  peer_.to_send = "hello";
  pump(GetParam());
  EXPECT_EQ(peer_.echoed, "hello");
  EXPECT_EQ(counters_.bytes_in, 5u);
  EXPECT_EQ(counters_.bytes_out, 5u);
  expect_counted(0, 0);
  EXPECT_FALSE(session_.should_close());
}

TEST_P(SessionPumpBothPaths, APeerResetIsCountedAsAResetNotAnError) {
  peer_.to_send = "abc";
  peer_.then_errno = ECONNRESET;
  pump(GetParam());  // a short read ends the pump: the reset shows at the next readiness
  EXPECT_EQ(peer_.echoed, "abc");
  EXPECT_FALSE(session_.should_close());
  pump(GetParam());
  expect_counted(1, 0);
  EXPECT_TRUE(session_.should_close());
}

// A send to a peer that went away (EPIPE) is a reset; any other failed receive
// or send is the server's error. Each ends the session.
TEST_P(SessionPumpBothPaths, OtherFailuresAreResetsOnlyWhenThePeerWentAway) {
  struct Failure {
    const char* arrives;  // before the failure
    int receive_errno;
    int send_errno;
    bool reset;
  };
  for (const Failure& f : {Failure{"abc", EAGAIN, EPIPE, true}, Failure{"", EIO, 0, false},
                           Failure{"x", EAGAIN, ENOBUFS, false}}) {
    SCOPED_TRACE(std::string("receive errno ") + std::to_string(f.receive_errno) + ", send errno " +
                 std::to_string(f.send_errno));
    Peer failing(f.arrives, f.receive_errno, f.send_errno);
    Counters counters;
    EchoSession session(1024);
    pump(failing, GetParam(), session, counters);
    EXPECT_EQ(counters.resets, f.reset ? 1u : 0u);
    EXPECT_EQ(counters.errors, f.reset ? 0u : 1u);
    EXPECT_TRUE(session.should_close());
  }
}

INSTANTIATE_TEST_SUITE_P(ScratchOrSessionBuffer, SessionPumpBothPaths, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "scratch" : "session_buffer";
                         });

TEST(FormatCounters, ShowsResetsApartFromErrors) {
  Counters counters;
  add(counters.resets, 2);
  add(counters.errors, 1);
  const std::string line = format_counters(counters);
  EXPECT_NE(line.find(" resets=2 "), std::string::npos) << line;
  EXPECT_NE(line.find(" errors=1"), std::string::npos) << line;
}

}  // namespace
}  // namespace echo::server
