// Runs the built echo-conformance as a user would and checks its exit codes,
// messages and reports. Every run has a deadline.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/net/socket.h"
#include "core/process/child_process.h"
#include "core/process/listening_line.h"
#include "core/process/run_program.h"

namespace echo {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

using Finished = ProgramRun;

Finished run_checker(const std::vector<std::string>& args, std::chrono::seconds limit = 20s) {
  Finished run = run_program(sibling_program("echo-conformance"), args, Deadline::after(limit));
  EXPECT_TRUE(run.problem.empty())
      << "echo-conformance within " << limit.count() << " s: " << run.problem;
  return run;
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
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(contains(run.out, "check")) << run.out;
  EXPECT_TRUE(contains(run.out, "--report FORMAT=FILE")) << run.out;
  EXPECT_TRUE(contains(run.out, "Exit codes:\n  0  no required case failed")) << run.out;
}

TEST(EchoConformanceCli, ListPrintsEveryCaseIdAsTableAndJson) {
  const Finished table = run_checker({"list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID ", 0), 0u) << table.out;
  const Finished as_json = run_checker({"list", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const json cases = json::parse(as_json.out);
  ASSERT_FALSE(cases.empty());
  for (const json& entry : cases) {
    EXPECT_TRUE(contains(table.out, "\n" + entry["id"].get<std::string>() + " ")) << entry["id"];
  }
}

TEST(EchoConformanceCli, SelectionMatchingNothingIsAUsageError) {
  const Finished run = run_checker({"--cases", "nomatch"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "no case matches --cases 'nomatch'")) << run.err;
  EXPECT_EQ(run_checker({"list", "--cases", "nomatch"}).exit_code, 2);
}

TEST(EchoConformanceCli, PortOutOfRangeIsAUsageError) {
  const Finished run = run_checker({"check", "127.0.0.1:70000"});
  EXPECT_EQ(run.exit_code, 2);
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
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "is unreachable")) << run.err;
  EXPECT_TRUE(contains(run.err, "refused")) << run.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(EchoConformanceCli, BadTargetNameIsAOneLineUsageError) {
  const Finished run = run_checker({"check", "my peer=127.0.0.1:7"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "echo-conformance: target 'my peer=127.0.0.1:7': name 'my peer' may hold only "
            "letters, digits, '.', '_' and '-'\n");
  const Finished twice = run_checker({"check", "a=127.0.0.1:7", "a=127.0.0.1:8"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_TRUE(contains(twice.err, "the name 'a' is used twice")) << twice.err;
}

TEST(EchoConformanceCli, UnknownReportFormatNamesTheAcceptedOnes) {
  const Finished run = run_checker({"--report", "bogus=x"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "unknown format 'bogus' (expected json, junit or html)"))
      << run.err;
}

TEST(EchoConformanceCli, BadNumbersAndConflictingFlagsAreUsageErrors) {
  EXPECT_EQ(run_checker({"--timeout-scale", "0"}).exit_code, 2);
  EXPECT_EQ(run_checker({"--jobs", "0"}).exit_code, 2);
  EXPECT_EQ(run_checker({"--seed", "-3"}).exit_code, 2);
  EXPECT_EQ(run_checker({"--tcp-only", "--udp-only"}).exit_code, 2);
  const Finished stray = run_checker({"127.0.0.1:7"});  // a target without `check`
  EXPECT_EQ(stray.exit_code, 2);
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
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
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
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_FALSE(contains(run.err, "echo-server")) << run.err;
  EXPECT_FALSE(contains(run.out, "echo-server:")) << run.out;
}

// Runs echo-server on 127.0.0.1:0; "127.0.0.1:PORT" through `target`.
Result<ChildProcess> start_echo_server(std::string& target) {
  ECHO_ASSIGN_OR_RETURN(
      ChildProcess server,
      ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0", "--quiet"}));
  ECHO_ASSIGN_OR_RETURN(const Listening listening, wait_for_listening(server, Deadline::after(5s)));
  target = listening.tcp.front().to_string();
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
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
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
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
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
