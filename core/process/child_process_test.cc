#include "core/process/child_process.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>

#include "core/net/io.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

Result<ChildProcess> shell(const std::string& script, const SpawnOptions& options = {}) {
  return ChildProcess::spawn("/bin/sh", {"-c", script}, options);
}

TEST(ChildProcess, ReadsLinesAndExitCode) {
  Result<ChildProcess> child = shell("echo a; echo b; exit 3");
  ASSERT_TRUE(child) << child.error().message;

  Result<std::string> first = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, "a");
  Result<std::string> second = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, "b");
  Result<std::string> end = child->read_line(Deadline::after(10s));
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, std::errc::broken_pipe);

  Result<int> status = child->wait(Deadline::after(10s));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 3);
  EXPECT_FALSE(child->running());
  EXPECT_EQ(*child->wait(Deadline::after(1s)), 3);  // the status is kept once reaped
}

TEST(ChildProcess, SigtermEndsASleepingChildWith143) {
  Result<ChildProcess> child = ChildProcess::spawn("sleep", {"10"});  // found on PATH
  ASSERT_TRUE(child) << child.error().message;

  ASSERT_TRUE(child->send_signal(SIGTERM));
  Result<int> status = child->wait(Deadline::after(10s));

  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 128 + SIGTERM);
}

TEST(ChildProcess, ReadLineOnASilentChildTimesOutByItsDeadline) {
  Result<ChildProcess> child = ChildProcess::spawn("sleep", {"10"});
  ASSERT_TRUE(child) << child.error().message;
  const auto start = std::chrono::steady_clock::now();

  Result<std::string> line = child->read_line(Deadline::after(300ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().code, std::errc::timed_out);
  EXPECT_NE(line.error().message.find("timed out after 300 ms waiting for a line from sleep"),
            std::string::npos)
      << line.error().message;
  EXPECT_GE(elapsed, 295ms);
  EXPECT_LT(elapsed, 5s);
}

// A line begun but never ended is no line: read_line still gives up at its
// deadline, and keeps the bytes for when the line is finished.
TEST(ChildProcess, ReadLineOnAnUnfinishedLineTimesOutByItsDeadline) {
  SpawnOptions options;
  options.pipe_stdin = true;
  Result<ChildProcess> child = shell("printf 'half a '; read rest; echo \"$rest\"", options);
  ASSERT_TRUE(child) << child.error().message;
  const auto start = std::chrono::steady_clock::now();

  Result<std::string> line = child->read_line(Deadline::after(300ms));

  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().code, std::errc::timed_out);
  EXPECT_GE(elapsed, 295ms);
  EXPECT_LT(elapsed, 5s);

  std::string_view input = "line\n";
  Transfer t = write_fd(child->stdin_fd(), std::as_bytes(std::span(input.data(), input.size())));
  ASSERT_EQ(t.kind, Transfer::Kind::kDone);
  Result<std::string> finished = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ(*finished, "half a line");
}

TEST(ChildProcess, WaitOnARunningChildTimesOut) {
  Result<ChildProcess> child = ChildProcess::spawn("sleep", {"10"});
  ASSERT_TRUE(child) << child.error().message;

  Result<int> status = child->wait(Deadline::after(200ms));

  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, std::errc::timed_out);
  EXPECT_TRUE(child->running());
}

TEST(ChildProcess, DestructorKillsAndReapsARunningChild) {
  pid_t pid = -1;
  {
    Result<ChildProcess> child = ChildProcess::spawn("sleep", {"10"});
    ASSERT_TRUE(child) << child.error().message;
    pid = child->pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);  // not even a zombie: it was reaped
}

TEST(ChildProcess, MoveAssignmentKillsTheChildItReplaces) {
  Result<ChildProcess> first = ChildProcess::spawn("sleep", {"10"});
  Result<ChildProcess> second = shell("exit 0");
  ASSERT_TRUE(first && second);
  const pid_t replaced = first->pid();

  *first = std::move(*second);

  errno = 0;
  EXPECT_EQ(::kill(replaced, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  Result<int> status = first->wait(Deadline::after(10s));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
}

TEST(ChildProcess, ReadAllCollectsOutputUntilItCloses) {
  Result<ChildProcess> child = shell("printf 'one\\ntwo\\nlast'");
  ASSERT_TRUE(child) << child.error().message;

  Result<std::string> first = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, "one");
  Result<std::string> rest = child->read_all(Deadline::after(10s));
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(*rest, "two\nlast");
}

TEST(ChildProcess, LastLineWithoutNewlineIsStillALine) {
  Result<ChildProcess> child = shell("printf 'tail'");
  ASSERT_TRUE(child) << child.error().message;
  Result<std::string> line = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(*line, "tail");
}

TEST(ChildProcess, StdinAndStderrPipesCarryData) {
  SpawnOptions options;
  options.pipe_stdin = true;
  options.pipe_stderr = true;
  Result<ChildProcess> child = shell("read word; echo \"got $word\"; echo oops >&2", options);
  ASSERT_TRUE(child) << child.error().message;

  std::string_view input = "hello\n";
  Transfer t = write_fd(child->stdin_fd(), std::as_bytes(std::span(input.data(), input.size())));
  ASSERT_EQ(t.kind, Transfer::Kind::kDone);
  ASSERT_EQ(t.bytes, input.size());
  child->close_stdin();

  Result<std::string> line = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(*line, "got hello");
  std::array<std::byte, 16> err{};
  Result<short> ready = wait_ready(child->stderr_fd(), POLLIN, Deadline::after(10s));
  ASSERT_TRUE(ready) << ready.error().message;
  Transfer e = read_fd(child->stderr_fd(), err);
  ASSERT_EQ(e.kind, Transfer::Kind::kDone);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(err.data()), e.bytes), "oops\n");
}

TEST(ChildProcess, ChildDoesNotInheritAnIgnoredSigpipe) {
  ::signal(SIGPIPE, SIG_IGN);
  Result<ChildProcess> child = shell("grep SigIgn /proc/self/status");
  ::signal(SIGPIPE, SIG_DFL);
  ASSERT_TRUE(child) << child.error().message;
  Result<std::string> line = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(line) << line.error().message;
  // SIGPIPE is signal 13: bit 12 of the mask, the 0x1000 digit.
  std::string mask = line->substr(line->find_first_of("0123456789abcdef"));
  unsigned long long ignored = std::stoull(mask, nullptr, 16);
  EXPECT_EQ(ignored & (1ull << (SIGPIPE - 1)), 0u) << *line;
}

TEST(ChildProcess, MissingProgramIsAnError) {
  Result<ChildProcess> child = ChildProcess::spawn("/nonexistent/echo-server", {});
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, std::errc::no_such_file_or_directory);
  EXPECT_NE(child.error().message.find("/nonexistent/echo-server"), std::string::npos);
}

TEST(SiblingProgram, IsInTheFolderOfTheRunningProgram) {
  std::string path = sibling_program("echo-server");
  std::string self = sibling_program("process_child_process_test");
  EXPECT_EQ(path.substr(path.rfind('/')), "/echo-server");
  EXPECT_EQ(path.substr(0, path.rfind('/')), self.substr(0, self.rfind('/')));
  // The test binary itself is a sibling of itself.
  EXPECT_EQ(::access(self.c_str(), X_OK), 0) << self;
}

}  // namespace
}  // namespace echo
