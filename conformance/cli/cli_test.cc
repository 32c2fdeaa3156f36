// Runs the built echo-conformance as a user would and checks its exit codes,
// messages and reports. Every run has a deadline.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/net/socket.h"
#include "core/process/child_process.h"
#include "core/process/listening_line.h"

namespace echo {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct Finished {
  int code = -1;
  std::string out;
  std::string err;
};

// Reads a non-blocking descriptor until end of file or the deadline.
std::string read_until_closed(int fd, Deadline deadline) {
  std::string text;
  char buffer[4096];
  while (fd >= 0 && !deadline.expired()) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, deadline.poll_timeout_ms()) <= 0) continue;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

Finished run_checker(const std::vector<std::string>& args, std::chrono::seconds limit = 20s) {
  const Deadline deadline = Deadline::after(limit);
  SpawnOptions options;
  options.pipe_stderr = true;
  auto child = ChildProcess::spawn(sibling_program("echo-conformance"), args, options);
  EXPECT_TRUE(child.ok()) << (child.ok() ? "" : child.error().message);
  if (!child.ok()) return {};
  Finished finished;
  auto out = child->read_all(deadline);
  finished.out = out.ok() ? *out : "";
  finished.err = read_until_closed(child->stderr_fd(), deadline);
  auto code = child->wait(deadline);
  EXPECT_TRUE(code.ok()) << "echo-conformance did not finish within " << limit.count() << " s";
  finished.code = code.ok() ? *code : -1;
  return finished;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_file(const std::filesystem::path& path) {
  std::ostringstream out;
  out << std::ifstream(path).rdbuf();
  return out.str();
}

TEST(EchoConformanceCli, HelpShowsCommandsAndExitCodes) {
  const Finished run = run_checker({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_TRUE(contains(run.out, "check")) << run.out;
  EXPECT_TRUE(contains(run.out, "--report FORMAT=FILE")) << run.out;
  EXPECT_TRUE(contains(run.out, "Exit codes:\n  0  no required case failed")) << run.out;
}

TEST(EchoConformanceCli, ListPrintsEveryCaseIdAsTableAndJson) {
  const Finished table = run_checker({"list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID ", 0), 0u) << table.out;
  const Finished as_json = run_checker({"list", "--json"});
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  const json cases = json::parse(as_json.out);
  ASSERT_FALSE(cases.empty());
  for (const json& entry : cases) {
    EXPECT_TRUE(contains(table.out, "\n" + entry["id"].get<std::string>() + " ")) << entry["id"];
  }
}

TEST(EchoConformanceCli, SelectionMatchingNothingIsAUsageError) {
  const Finished run = run_checker({"--cases", "nomatch"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(contains(run.err, "no case matches --cases 'nomatch'")) << run.err;
  EXPECT_EQ(run_checker({"list", "--cases", "nomatch"}).code, 2);
}

TEST(EchoConformanceCli, PortOutOfRangeIsAUsageError) {
  const Finished run = run_checker({"check", "127.0.0.1:70000"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(contains(run.err, "target '127.0.0.1:70000'")) << run.err;
  EXPECT_TRUE(contains(run.err, "70000")) << run.err;
}

TEST(EchoConformanceCli, ClosedPortIsUnreachableQuickly) {
  uint16_t port = 0;
  {
    Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
    ASSERT_TRUE(listener.ok());
    port = local_endpoint(listener->get())->port();
  }  // closed: nothing listens there now
  const auto started = std::chrono::steady_clock::now();
  const Finished run = run_checker({"check", "127.0.0.1:" + std::to_string(port)}, 15s);
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(contains(run.err, "is unreachable")) << run.err;
  EXPECT_TRUE(contains(run.err, "refused")) << run.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(EchoConformanceCli, BadTargetNameIsAOneLineUsageError) {
  const Finished run = run_checker({"check", "my peer=127.0.0.1:7"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err,
            "echo-conformance: target 'my peer=127.0.0.1:7': name 'my peer' may hold only "
            "letters, digits, '.', '_' and '-'\n");
  const Finished twice = run_checker({"check", "a=127.0.0.1:7", "a=127.0.0.1:8"});
  EXPECT_EQ(twice.code, 2);
  EXPECT_TRUE(contains(twice.err, "the name 'a' is used twice")) << twice.err;
}

TEST(EchoConformanceCli, UnknownReportFormatNamesTheAcceptedOnes) {
  const Finished run = run_checker({"--report", "bogus=x"});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(contains(run.err, "unknown format 'bogus' (expected json, junit or html)"))
      << run.err;
}

TEST(EchoConformanceCli, BadNumbersAndConflictingFlagsAreUsageErrors) {
  EXPECT_EQ(run_checker({"--timeout-scale", "0"}).code, 2);
  EXPECT_EQ(run_checker({"--jobs", "0"}).code, 2);
  EXPECT_EQ(run_checker({"--seed", "-3"}).code, 2);
  EXPECT_EQ(run_checker({"--tcp-only", "--udp-only"}).code, 2);
  const Finished stray = run_checker({"127.0.0.1:7"});  // a target without `check`
  EXPECT_EQ(stray.code, 2);
  EXPECT_TRUE(contains(stray.err, "127.0.0.1:7")) << stray.err;
}

class EchoConformanceRun : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/echo-conformance-cli-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  std::filesystem::path folder_;
};

TEST_F(EchoConformanceRun, DefaultRunPassesTheReferenceAndWritesAllReports) {
  const Finished run = run_checker(
      {"--seed", "42", "--no-progress", "--report", "json=" + (folder_ / "r.json").string(),
       "--report", "junit=" + (folder_ / "r.xml").string(), "--report",
       "html=" + (folder_ / "r.html").string()},
      100s);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "seed: 42\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "replay: echo-conformance --seed 42\n")) << run.out;
  const json report = json::parse(read_file(folder_ / "r.json"));
  EXPECT_EQ(report["seed"], 42);
  ASSERT_GE(report["targets"].size(), 1u);
  EXPECT_EQ(report["targets"][0]["target"], "reference");
  EXPECT_EQ(report["targets"][0]["reference"], true);
  EXPECT_FALSE(report["targets"][0]["cases"].empty());
  EXPECT_EQ(read_file(folder_ / "r.xml").rfind("<?xml", 0), 0u);
  EXPECT_TRUE(contains(read_file(folder_ / "r.html"), "<table class=\"matrix\">"));
}

// The reference server prints a counters line on stderr when it stops; it
// must not end up at the bottom of the checker's report.
TEST_F(EchoConformanceRun, DefaultRunShowsNothingTheReferenceServerPrints) {
  const Finished run =
      run_checker({"--cases", "tcp.echo.text", "--seed", "3", "--no-progress"}, 60s);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_FALSE(contains(run.err, "echo-server")) << run.err;
  EXPECT_FALSE(contains(run.out, "echo-server:")) << run.out;
}

// Runs echo-server on 127.0.0.1:0; "127.0.0.1:PORT" through `target`.
Result<ChildProcess> start_echo_server(std::string& target) {
  auto server =
      ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0", "--quiet"});
  if (!server) return server.error();
  Result<Listening> listening = wait_for_listening(*server, Deadline::after(5s));
  if (!listening) return listening.error();
  target = listening->tcp.front().to_string();
  return server;
}

TEST_F(EchoConformanceRun, NamedTargetGivesTheReportColumnItsName) {
  std::string target;
  auto server = start_echo_server(target);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const Finished run =
      run_checker({"check", "mine=" + target, "--cases", "tcp.echo.text", "--seed", "5",
                   "--no-progress", "--report", "json=" + (folder_ / "r.json").string()},
                  60s);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "against mine (" + target + ")")) << run.out;
  EXPECT_TRUE(contains(run.out, "replay: echo-conformance check mine=" + target)) << run.out;
  const json report = json::parse(read_file(folder_ / "r.json"));
  ASSERT_EQ(report["targets"].size(), 1u);
  EXPECT_EQ(report["targets"][0]["target"], "mine");
  EXPECT_EQ(report["targets"][0]["address"], target);
}

TEST_F(EchoConformanceRun, CheckWithReferenceAddsTheReferenceColumn) {
  std::string target;
  auto server = start_echo_server(target);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const Finished run =
      run_checker({"check", target, "--with-reference", "--tcp-only", "--seed", "7",
                   "--no-progress", "--report", "json=" + (folder_ / "r.json").string()},
                  100s);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "replay: echo-conformance check " + target +
                                    " --tcp-only --with-reference --seed 7\n"))
      << run.out;
  const json report = json::parse(read_file(folder_ / "r.json"));
  ASSERT_EQ(report["targets"].size(), 2u);
  EXPECT_EQ(report["targets"][0]["reference"], true);
  EXPECT_EQ(report["targets"][1]["target"], target);
  EXPECT_EQ(report["targets"][1]["reference"], false);
}

}  // namespace
}  // namespace echo
