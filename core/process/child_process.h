// ChildProcess: runs another program (the reference server, a broken-server
// fixture, a third-party peer) with its standard output readable line by line
// under a deadline. The destructor kills (SIGKILL) and reaps a child that is
// still running, so a failing test never leaves a process behind.
//
// Example:
//   auto server = ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0"});
//   Result<std::string> line = server->read_line(Deadline::after(5s));  // "listening tcp 127.0.0.1:41234"
//   server->send_signal(SIGTERM);
//   Result<int> status = server->wait(Deadline::after(5s));            // exit code, or 128 + signal
#pragma once

#include <sys/types.h>

#include <string>
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
  [[nodiscard]] static Result<ChildProcess> spawn(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const SpawnOptions& options = {});
  ChildProcess(ChildProcess&&) noexcept;
  ChildProcess& operator=(ChildProcess&&) noexcept;
  ~ChildProcess();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // The next line of standard output, without its newline. End of output is an
  // error with code std::errc::broken_pipe; the deadline gives std::errc::timed_out.
  [[nodiscard]] Result<std::string> read_line(Deadline deadline);
  // Everything left on standard output until it closes (or the deadline).
  [[nodiscard]] Result<std::string> read_all(Deadline deadline);
  [[nodiscard]] int stdin_fd() const noexcept { return stdin_.get(); }
  [[nodiscard]] int stderr_fd() const noexcept { return stderr_.get(); }
  void close_stdin() noexcept { stdin_.reset(); }

  [[nodiscard]] Status send_signal(int signal_number);
  // Waits for exit: the exit code, or 128 + the signal number that ended it.
  [[nodiscard]] Result<int> wait(Deadline deadline);
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  Fd stdin_;
  Fd stdout_;
  Fd stderr_;
  std::string pending_;  // bytes read past the last returned line
};

// The path of a program built next to the running one (same bin/ folder),
// e.g. sibling_program("echo-server").
[[nodiscard]] std::string sibling_program(const std::string& name);

}  // namespace echo
