// --stream: one poll loop over standard input, the socket and standard
// output, so sending and receiving go on at the same time and a large input
// cannot deadlock (the socket is non-blocking: the client never blocks
// sending while the server is blocked sending to it). Bytes read from standard
// input stay in a bounded StreamWindow until their echo has been checked;
// standard input is not read while the window is full. After standard input
// ends and every byte was sent, the write side is shut down; the run ends when
// the server closes its side, every echoed byte checked and written out.
//
// Standard input and output are used in the blocking mode they came with: they
// are read or written only when poll() reports them ready, so a blocking write
// to standard output waits only for its own reader, never for the server.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/buffer/ring_buffer.h"
#include "core/net/io.h"
#include "reference/client/compare.h"
#include "reference/client/modes.h"

namespace echo::client {
namespace {

constexpr std::size_t kWindowCapacity = std::size_t{64} << 20;   // bytes sent, not yet echoed
constexpr std::size_t kOutputCapacity = std::size_t{256} << 10;  // echo not yet written out
constexpr std::size_t kReadChunk = std::size_t{64} << 10;

class StreamLoop {
 public:
  StreamLoop(const ClientConfig& config, int socket)
      : config_(config), socket_(socket), window_(kWindowCapacity), output_(kOutputCapacity) {}

  ExitReason run();

 private:
  enum Slot { kStdin, kSocket, kStdout };

  bool finished() const { return server_eof_ && output_.empty(); }
  // The server owes us something: an echo we wait to read, or room to send.
  bool waiting_on_server(const std::array<pollfd, 3>& fds) const;
  std::array<pollfd, 3> interest() const;
  // Serves every descriptor poll() reported, in order; stops at the first failure.
  ExitReason handle(const std::array<pollfd, 3>& fds);
  ExitReason read_stdin();
  ExitReason send_to_server();
  ExitReason receive_from_server();
  ExitReason write_stdout();
  ExitReason shut_down_if_done();

  const ClientConfig& config_;
  int socket_;
  StreamWindow window_;
  RingBuffer output_;
  std::array<std::byte, kReadChunk> chunk_{};
  bool stdin_eof_ = false;
  bool shut_down_ = false;
  bool server_eof_ = false;
};

std::array<pollfd, 3> StreamLoop::interest() const {
  std::array<pollfd, 3> fds{};
  bool want_stdin = !stdin_eof_ && !window_.full();
  fds[kStdin] = {want_stdin ? STDIN_FILENO : -1, POLLIN, 0};
  short socket_events = 0;
  if (!server_eof_ && !output_.full()) socket_events |= POLLIN;
  if (!window_.all_sent()) socket_events |= POLLOUT;
  fds[kSocket] = {socket_events != 0 ? socket_ : -1, socket_events, 0};
  fds[kStdout] = {output_.empty() ? -1 : STDOUT_FILENO, POLLOUT, 0};
  return fds;
}

bool StreamLoop::waiting_on_server(const std::array<pollfd, 3>& fds) const {
  // While the echo waits for standard output, a stalled server is our reader's doing.
  if (output_.full()) return false;
  short events = fds[kSocket].fd < 0 ? 0 : fds[kSocket].events;
  bool echo_owed = (events & POLLIN) != 0 && (!window_.all_echoed() || shut_down_);
  return echo_owed || (events & POLLOUT) != 0;
}

ExitReason StreamLoop::run() {
  Deadline deadline = deadline_after(config_.timeout);
  while (!finished()) {
    std::array<pollfd, 3> fds = interest();
    bool server_owes = waiting_on_server(fds);
    if (!server_owes) deadline = deadline_after(config_.timeout);
    int ready = ::poll(fds.data(), fds.size(), server_owes ? deadline.poll_timeout_ms() : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0)
      return failure(ExitCode::kLocalError, std::string("poll failed: ") + std::strerror(errno));
    if (ready == 0) {
      return failure(ExitCode::kTimeout,
                     "no progress from the server for " + format_seconds(config_.timeout) + " (" +
                         std::to_string(window_.echoed()) + " of " +
                         std::to_string(window_.sent()) + " sent bytes echoed)");
    }
    std::uint64_t moved = window_.sent() + window_.echoed();
    if (ExitReason step = handle(fds); !step.ok()) return step;
    if (window_.sent() + window_.echoed() != moved) deadline = deadline_after(config_.timeout);
  }
  return success();
}

ExitReason StreamLoop::handle(const std::array<pollfd, 3>& fds) {
  if (fds[kStdin].revents != 0) {
    if (ExitReason read = read_stdin(); !read.ok()) return read;
  }
  if (fds[kSocket].revents != 0) {
    if (ExitReason received = receive_from_server(); !received.ok()) return received;
    if (ExitReason sent = send_to_server(); !sent.ok()) return sent;
  }
  if (fds[kStdout].revents != 0) {
    if (ExitReason written = write_stdout(); !written.ok()) return written;
  }
  return shut_down_if_done();
}

ExitReason StreamLoop::read_stdin() {
  std::size_t room = std::min(chunk_.size(), window_.free_space());
  Transfer t = read_fd(STDIN_FILENO, std::span(chunk_).first(room));
  switch (t.kind) {
    case Transfer::Kind::kDone:
      window_.take(std::span(chunk_).first(t.bytes));
      break;
    case Transfer::Kind::kEof:
      stdin_eof_ = true;
      break;
    case Transfer::Kind::kWouldBlock:
      break;
    case Transfer::Kind::kError:
      return failure(ExitCode::kLocalError, "cannot read standard input: " + t.error.message());
  }
  return success();
}

ExitReason StreamLoop::send_to_server() {
  while (!window_.all_sent()) {
    Transfer t = send_some(socket_, window_.unsent());
    if (t.kind == Transfer::Kind::kWouldBlock) return success();
    if (t.kind == Transfer::Kind::kError) {
      return failure(exit_code_for(t.error), "sending to the server after " +
                                                 std::to_string(window_.sent()) +
                                                 " bytes: " + t.error.message());
    }
    window_.on_sent(t.bytes);
  }
  return success();
}

ExitReason StreamLoop::receive_from_server() {
  if (server_eof_ || output_.full()) return success();
  std::span<std::byte> space = output_.writable();
  Transfer t = recv_some(socket_, space);
  if (t.kind == Transfer::Kind::kWouldBlock) return success();
  if (t.kind == Transfer::Kind::kError) {
    return failure(exit_code_for(t.error), "receiving the echo after " +
                                               std::to_string(window_.echoed()) +
                                               " bytes: " + t.error.message());
  }
  if (t.kind == Transfer::Kind::kEof) {
    server_eof_ = true;
    if (shut_down_ && window_.all_echoed()) return success();
    return failure(ExitCode::kClosedEarly,
                   "the server closed the connection after echoing " +
                       std::to_string(window_.echoed()) + " of " + std::to_string(window_.sent()) +
                       " bytes sent" + (stdin_eof_ ? "" : " (standard input not finished)"));
  }
  EchoCheck check = window_.check_echo(space.first(t.bytes));
  if (check.verdict != EchoCheck::kMatch)
    return failure(ExitCode::kMismatch, mismatch_message(check));
  output_.commit(t.bytes);
  return success();
}

ExitReason StreamLoop::write_stdout() {
  Transfer t = write_fd(STDOUT_FILENO, output_.readable());
  if (t.kind == Transfer::Kind::kError) {
    return failure(ExitCode::kLocalError, "cannot write standard output: " + t.error.message());
  }
  if (t.kind == Transfer::Kind::kDone) output_.consume(t.bytes);
  return success();
}

ExitReason StreamLoop::shut_down_if_done() {
  if (shut_down_ || !stdin_eof_ || !window_.all_sent()) return success();
  shut_down_ = true;
  if (::shutdown(socket_, SHUT_WR) == 0 || errno == ENOTCONN) return success();
  return failure(ExitCode::kClosedEarly,
                 std::string("cannot shut down the sending side: ") + std::strerror(errno));
}

}  // namespace

ExitReason run_stream(const ClientConfig& config, Connection& connection) {
  StreamLoop loop(config, connection.fd.get());
  return loop.run();
}

}  // namespace echo::client
