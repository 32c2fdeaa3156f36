#include "core/net/io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "core/net/fd.h"
#include "core/net/syscalls.h"
#include "core/util/bytes.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

// A fake that counts what reaches it; each test sets the behaviour it needs.
class FakeIo : public ForwardingSyscalls {
 public:
  enum class Send { kInterruptedOrOneByte, kWouldBlock };
  enum class Recv { kInterruptedTwice, kWouldBlockOnce };

  int send_calls = 0;
  int recv_calls = 0;
  int poll_calls = 0;
  int last_send_flags = 0;
  std::string sent;
  Send send_mode = Send::kInterruptedOrOneByte;
  Recv recv_mode = Recv::kInterruptedTwice;

  // kInterruptedOrOneByte: every odd call is interrupted, every other moves one byte.
  ssize_t send(int, const void* buffer, size_t length, int flags) override {
    ++send_calls;
    last_send_flags = flags;
    if (send_mode == Send::kWouldBlock) {
      errno = EAGAIN;
      return -1;
    }
    if (send_calls % 2 == 1) {
      errno = EINTR;
      return -1;
    }
    if (length == 0) return 0;
    sent.push_back(*static_cast<const char*>(buffer));
    return 1;
  }

  // kInterruptedTwice: EINTR twice, then "hi". kWouldBlockOnce: EAGAIN, then "x".
  ssize_t recv(int, void* buffer, size_t length, int) override {
    if (recv_mode == Recv::kInterruptedTwice) {
      if (recv_calls++ < 2) {
        errno = EINTR;
        return -1;
      }
      std::memcpy(buffer, "hi", std::min<size_t>(length, 2));
      return 2;
    }
    if (recv_calls++ == 0) {
      errno = EAGAIN;
      return -1;
    }
    *static_cast<char*>(buffer) = 'x';
    return 1;
  }

  // Always readable.
  int poll(pollfd* fds, nfds_t, int) override {
    ++poll_calls;
    fds[0].revents = POLLIN;
    return 1;
  }
};

TEST(IoThroughSeam, WriteAllSurvivesEintrAndOneByteWrites) {
  FakeIo fake;
  const std::string message = "The quick brown fox";
  ASSERT_TRUE(write_all(-1, as_bytes(message), Deadline::after(5s), fake));

  EXPECT_EQ(fake.sent, message);
  EXPECT_EQ(fake.send_calls, 2 * static_cast<int>(message.size()));
  EXPECT_NE(fake.last_send_flags & MSG_NOSIGNAL, 0);
}

TEST(IoThroughSeam, ReadSomeRetriesEintr) {
  FakeIo fake;
  std::array<std::byte, 8> buffer{};
  Result<std::size_t> n = read_some(-1, buffer, Deadline::after(5s), fake);

  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(*n)), "hi");
  EXPECT_EQ(fake.recv_calls, 3);
  EXPECT_EQ(fake.poll_calls, 0);
}

TEST(IoThroughSeam, EagainWaitsForReadinessInsteadOfSpinning) {
  FakeIo fake;
  fake.recv_mode = FakeIo::Recv::kWouldBlockOnce;
  std::array<std::byte, 8> buffer{};
  Result<std::size_t> n = read_some(-1, buffer, Deadline::after(5s), fake);

  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(*n)), "x");
  EXPECT_EQ(fake.recv_calls, 2);
  EXPECT_EQ(fake.poll_calls, 1);
}

TEST(IoThroughSeam, SendSomeReportsWouldBlockOnEagain) {
  FakeIo fake;
  fake.send_mode = FakeIo::Send::kWouldBlock;
  Transfer t = send_some(-1, as_bytes("data"), fake);

  EXPECT_EQ(t.kind, Transfer::Kind::kWouldBlock);
  EXPECT_EQ(t.bytes, 0u);
  EXPECT_EQ(fake.send_calls, 1);
}

TEST(IoThroughSeam, EachCallGoesToTheSeamItIsGivenAndNoOther) {
  FakeIo first;
  FakeIo second;
  second.send_mode = FakeIo::Send::kWouldBlock;
  EXPECT_EQ(send_some(-1, as_bytes("a"), first).kind, Transfer::Kind::kDone);
  EXPECT_EQ(send_some(-1, as_bytes("b"), second).kind, Transfer::Kind::kWouldBlock);
  EXPECT_EQ(first.sent, "a");
  EXPECT_EQ(first.send_calls, 2);  // interrupted, then one byte
  EXPECT_EQ(second.send_calls, 1);
  // Without a seam, the real send(): -1 is no descriptor.
  Transfer real = send_some(-1, as_bytes("c"));
  EXPECT_EQ(real.kind, Transfer::Kind::kError);
  EXPECT_EQ(real.error, std::errc::bad_file_descriptor);
  EXPECT_EQ(first.send_calls + second.send_calls, 3);
}

struct SocketPair {
  Fd a;
  Fd b;
};

SocketPair socket_pair() {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  return {Fd(fds[0]), Fd(fds[1])};
}

TEST(IoOnSocketPair, WriteToClosedPeerIsAnErrorNotASignal) {
  ::signal(SIGPIPE, SIG_DFL);  // a SIGPIPE would end this test process
  SocketPair pair = socket_pair();
  pair.b.reset();

  Status st = write_all(pair.a.get(), as_bytes("hello"), Deadline::after(5s));

  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, std::errc::broken_pipe);
  EXPECT_NE(st.error().message.find("Broken pipe"), std::string::npos) << st.error().message;
}

TEST(IoOnSocketPair, ReadExactReportsEarlyEndOfStream) {
  SocketPair pair = socket_pair();
  ASSERT_TRUE(write_all(pair.b.get(), as_bytes("12345"), Deadline::after(5s)));
  ASSERT_EQ(::shutdown(pair.b.get(), SHUT_WR), 0);

  std::array<std::byte, 16> buffer{};
  Status st = read_exact(pair.a.get(), buffer, Deadline::after(5s));

  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, std::errc::connection_aborted);
  EXPECT_EQ(st.error().message, "connection closed after 5 of 16 bytes");
}

TEST(IoOnSocketPair, ReadExactCollectsEveryByte) {
  SocketPair pair = socket_pair();
  ASSERT_TRUE(write_all(pair.b.get(), as_bytes("0123456789"), Deadline::after(5s)));

  std::array<std::byte, 10> buffer{};
  ASSERT_TRUE(read_exact(pair.a.get(), buffer, Deadline::after(5s)));
  EXPECT_EQ(to_string(buffer), "0123456789");
}

TEST(IoOnSocketPair, ReadSomeGivesZeroAtEndOfStream) {
  SocketPair pair = socket_pair();
  pair.b.reset();

  std::array<std::byte, 4> buffer{};
  Result<std::size_t> n = read_some(pair.a.get(), buffer, Deadline::after(5s));

  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 0u);
}

TEST(IoOnSocketPair, ReadDeadlineExpiresWithTimedOut) {
  SocketPair pair = socket_pair();
  const auto start = std::chrono::steady_clock::now();

  std::array<std::byte, 4> buffer{};
  Result<std::size_t> n = read_some(pair.a.get(), buffer, Deadline::after(200ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, std::errc::timed_out);
  EXPECT_EQ(n.error().message, "timed out after 200 ms waiting to read");
  EXPECT_GE(elapsed, 195ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(IoOnSocketPair, WriteDeadlineExpiresWhenThePeerNeverReads) {
  SocketPair pair = socket_pair();
  std::string big(16 << 20, 'x');  // far more than a socket buffer holds

  Status st = write_all(pair.a.get(), as_bytes(big), Deadline::after(200ms));

  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, std::errc::timed_out);
  EXPECT_EQ(st.error().message, "timed out after 200 ms waiting to write");
}

TEST(IoOnPipe, ReadFdAndWriteFdMoveBytesAndSeeEnd) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);

  std::array<std::byte, 8> buffer{};
  EXPECT_EQ(read_fd(read_end.get(), buffer).kind, Transfer::Kind::kWouldBlock);
  Transfer w = write_fd(write_end.get(), as_bytes("abc"));
  EXPECT_EQ(w.kind, Transfer::Kind::kDone);
  EXPECT_EQ(w.bytes, 3u);
  write_end.reset();

  Transfer r = read_fd(read_end.get(), buffer);
  ASSERT_EQ(r.kind, Transfer::Kind::kDone);
  EXPECT_EQ(to_string(std::span(buffer).first(r.bytes)), "abc");
  EXPECT_EQ(read_fd(read_end.get(), buffer).kind, Transfer::Kind::kEof);
}

}  // namespace
}  // namespace echo
