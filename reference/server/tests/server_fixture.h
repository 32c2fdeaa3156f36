// A test fixture that runs the real echo-server binary on a loopback port
// chosen by the kernel, parameterised over the concurrency models, plus small
// client helpers. Every network operation has a deadline.
//
// Example:
//   class MyTest : public EchoServerTest {};
//   TEST_P(MyTest, Echoes) {
//     start();
//     Fd client = connect_tcp();
//     expect_echo(client.get(), "hello");
//   }
//   INSTANTIATE_TEST_SUITE_P(Models, MyTest, kAllModels, model_name);
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/process/child_process.h"

namespace echo::server::testing {

using namespace std::chrono_literals;

// Generous bounds: sanitizer builds are several times slower.
inline constexpr auto kIoTimeout = 10s;
inline constexpr auto kStartTimeout = 10s;
inline constexpr auto kExitTimeout = 10s;

inline const auto kAllModels = ::testing::Values("iterative", "fork", "epoll");
inline const auto kConcurrentModels = ::testing::Values("fork", "epoll");
inline std::string model_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

class EchoServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Starts echo-server with --model GetParam(), --listen `listen` (default
  // 127.0.0.1:0) and `extra` arguments, and reads its listening lines.
  void start(std::vector<std::string> extra = {}, std::string listen = "127.0.0.1:0",
             bool pipe_stderr = false);
  // Sends SIGTERM and returns the exit code (-1 if it did not exit in time).
  int stop();

  [[nodiscard]] Fd connect_tcp() const;
  [[nodiscard]] pid_t server_pid() const { return server_->pid(); }

  std::optional<ChildProcess> server_;
  Endpoint tcp_;  // empty with --udp-only
  Endpoint udp_;  // empty with --tcp-only
};

// A second (third, ...) server for tests that need several: started with
// exactly `args` (add --listen, --model, --quiet yourself), its stderr piped.
struct ExtraServer {
  std::optional<ChildProcess> process;
  Endpoint tcp;  // empty with --udp-only
  Endpoint udp;  // empty with --tcp-only
};
void start_extra_server(const std::vector<std::string>& args, ExtraServer& server);
// Sends SIGTERM, waits for the exit and returns the counters it printed
// ("counters: name=value ..."), or an empty map if it did not exit cleanly.
[[nodiscard]] std::map<std::string, std::uint64_t> stop_and_read_counters(ChildProcess& server);

[[nodiscard]] Deadline io_deadline();
// Sends `text` and expects exactly it back.
void expect_echo(int fd, std::string_view text);
// Bytes 0, 1, ..., 255, 0, 1, ... with a slowly changing offset, so a
// misplaced or repeated block is detected too.
[[nodiscard]] std::string pattern(std::size_t size, std::size_t offset = 0);
// Reads until end of stream; fails the test on error or deadline.
[[nodiscard]] std::string read_until_eof(int fd, Deadline deadline);
// Whether fd becomes readable before the deadline.
[[nodiscard]] bool readable_within(int fd, std::chrono::milliseconds timeout);
// Everything a pipe (e.g. the server's stderr) yields until it closes.
[[nodiscard]] std::string read_pipe(int fd, Deadline deadline);
// Resident memory of pid and of its children (fork model), in KiB; the largest one.
[[nodiscard]] long largest_rss_kib(pid_t pid);
// Whether an IPv6 loopback socket can be bound here.
[[nodiscard]] bool ipv6_loopback_available();

}  // namespace echo::server::testing
