// ChildProcess: runs another program (the reference server, a broken-server
// fixture, a third-party peer) with its standard output readable line by line
// under a deadline. The destructor kills (SIGKILL) and reaps a child that is
// still running, so a failing test never leaves a process behind.
//
// Example:
//   auto server = ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0"});
//   Result<std::string> line = server->read_line(Deadline::after(5s));
//   // *line == "listening tcp 127.0.0.1:41234"
//   server->send_signal(SIGTERM);
//   Result<int> status = server->wait(Deadline::after(5s));  // exit code, or 128 + signal
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo {

struct SpawnOptions {
  bool pipe_stdin = false;   // otherwise stdin is /dev/null
  bool pipe_stderr = false;  // otherwise stderr is inherited
};

class ChildProcess {
 public:
  // Starts `program` (a path; PATH is searched when it has no '/') with `args`.
  // The child starts with default signal dispositions and an empty signal mask.
  // The parent's ends of the pipes (stdin_fd(), stderr_fd()) are non-blocking
  // and close-on-exec: write with write_fd() and wait_ready().
  [[nodiscard]] static Result<ChildProcess> spawn(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const SpawnOptions& options = {});
  ChildProcess(ChildProcess&&) noexcept;
  ChildProcess& operator=(ChildProcess&&) noexcept;
  ~ChildProcess();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // "program (pid 123)", for messages.
  [[nodiscard]] std::string describe() const;
  // The next line of standard output, without its newline. End of output is an
  // error with code std::errc::broken_pipe; the deadline gives std::errc::timed_out
  // (bytes already read are kept for the next call). A last line without a
  // newline is returned as a line before end of output is reported.
  [[nodiscard]] Result<std::string> read_line(Deadline deadline);
  // Everything left on standard output until it closes (or the deadline).
  [[nodiscard]] Result<std::string> read_all(Deadline deadline);
  [[nodiscard]] int stdin_fd() const noexcept { return stdin_.get(); }
  [[nodiscard]] int stderr_fd() const noexcept { return stderr_.get(); }
  void close_stdin() noexcept { stdin_.reset(); }

  [[nodiscard]] Status send_signal(int signal_number);
  // Waits for exit: the exit code, or 128 + the signal number that ended it.
  // Sleeps on a pidfd (Linux 5.3+), otherwise polls waitpid() every 10 ms.
  // Once reaped, running() is false and wait() keeps returning the same status.
  [[nodiscard]] Result<int> wait(Deadline deadline);
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

 private:
  ChildProcess() = default;
  // Reads more standard output into pending_: true if some arrived, false at end of output.
  [[nodiscard]] Result<bool> fill(Deadline deadline, Deadline::Clock::time_point started,
                                  std::string_view waiting_for);

  pid_t pid_ = -1;        // -1 once reaped
  int exit_status_ = -1;  // what wait() returned, once reaped
  std::string program_;
  Fd pidfd_;  // readable when the child exits; invalid where the kernel has no pidfd_open
  Fd stdin_;
  Fd stdout_;
  Fd stderr_;
  std::string pending_;  // bytes read past the last returned line
};

// The path of a program built next to the running one (same bin/ folder),
// e.g. sibling_program("echo-server").
[[nodiscard]] std::string sibling_program(const std::string& name);

}  // namespace echo
