#include "core/process/run_program.h"

#include <poll.h>

#include <array>
#include <csignal>
#include <span>
#include <thread>

#include "core/net/io.h"
#include "core/process/child_process.h"

namespace echo {
namespace {

// Writes all of `input` to the child's standard input, then closes it. A
// program that exits early closes the pipe: EPIPE just ends the writing.
void feed_stdin(ChildProcess& child, const std::string& input, Deadline deadline) {
  std::span<const std::byte> rest = std::as_bytes(std::span(input.data(), input.size()));
  while (!rest.empty()) {
    Transfer t = write_fd(child.stdin_fd(), rest);
    if (t.kind == Transfer::Kind::kDone) {
      rest = rest.subspan(t.bytes);
    } else if (t.kind != Transfer::Kind::kWouldBlock ||
               !wait_ready(child.stdin_fd(), POLLOUT, deadline)) {
      break;
    }
  }
  child.close_stdin();
}

}  // namespace

std::string read_to_end(int fd, Deadline deadline) {
  std::string text;
  std::array<std::byte, 4096> buffer{};
  for (;;) {
    Transfer t = read_fd(fd, buffer);
    if (t.kind == Transfer::Kind::kDone) {
      text.append(reinterpret_cast<const char*>(buffer.data()), t.bytes);
    } else if (t.kind != Transfer::Kind::kWouldBlock || !wait_ready(fd, POLLIN, deadline)) {
      return text;
    }
  }
}

ProgramRun run_program(const std::string& program, const std::vector<std::string>& args,
                       Deadline deadline, const std::optional<std::string>& input) {
  if (input) std::signal(SIGPIPE, SIG_IGN);
  ProgramRun run;
  Result<ChildProcess> child = ChildProcess::spawn(
      program, args, SpawnOptions{.pipe_stdin = input.has_value(), .pipe_stderr = true});
  if (!child) {
    run.problem = child.error().message;
    return run;
  }
  std::thread writer;
  if (input) writer = std::thread([&] { feed_stdin(*child, *input, deadline); });
  Result<std::string> out = child->read_all(deadline);
  if (out)
    run.out = std::move(*out);
  else
    run.problem = "reading standard output: " + out.error().message;
  if (writer.joinable()) writer.join();
  run.err = read_to_end(child->stderr_fd(), deadline);
  Result<int> status = child->wait(deadline);
  if (status)
    run.exit_code = *status;
  else
    run.problem += "waiting for exit: " + status.error().message;
  return run;
}

}  // namespace echo
