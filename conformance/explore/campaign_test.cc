// The campaign against real servers, for what the command line's tests
// (conformance/cli/fuzz_cli_test.cc: shrunk shapes, replay, spawn, the
// reference) cannot see: a difference only the reference shows, and that a
// hostile server cannot push the run past its time or memory bounds.
#include "conformance/explore/campaign.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "conformance/explore/script_text.h"
#include "conformance/explore/testing/live_server.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

CampaignOptions against(const Endpoint& target, GeneratorOptions generator = {}) {
  CampaignOptions o;
  o.execute.target = target;
  o.execute.stall_wait = 1000ms;
  o.execute.close_wait = 1000ms;
  o.execute.mismatch_wait = 20ms;
  o.execute.datagram_wait = 100ms;
  o.execute.deadline = 5s;
  o.duration = 60s;
  o.seed = 1;
  o.max_failures = 1;
  o.in_flight = 32;
  o.generator = generator;
  return o;
}

// Kilobytes of resident memory of this process, now and at its peak.
std::pair<long, long> memory_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  long rss = 0;
  long peak = 0;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) rss = std::stol(line.substr(6));
    if (line.starts_with("VmHWM:")) peak = std::stol(line.substr(6));
  }
  return {rss, peak};
}

TEST(Campaign, ADifferenceTheEchoModelAcceptsIsFoundWithTheReference) {
  Result<testing::LiveServer> server = testing::start_fixture_server("never-close");
  ASSERT_TRUE(server.ok()) << server.error().message;
  Result<testing::LiveServer> reference = testing::start_reference_server();
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  CampaignOptions o = against(server->endpoint, {true, false});
  o.reference = reference->endpoint;
  o.execute.close_wait = 300ms;  // every script waits this long for the close that never comes
  const CampaignResult r = run_campaign(o);
  ASSERT_EQ(r.failures.size(), 1u);
  const FuzzFailure& f = r.failures.front();
  EXPECT_EQ(f.signature.finding, "half-close-never-closed") << f.detail;
  EXPECT_EQ(print_script(f.script), "connect c1\n") << f.detail;
}

// Servers that flood, reset or never answer: the run keeps to its time, and
// memory does not grow with what the server sends.
TEST(Campaign, HostileServersKeepTheRunWithinItsBounds) {
  for (const char* mode : {"flood", "reset", "read-never-answer"}) {
    Result<testing::LiveServer> server = testing::start_fixture_server(mode);
    ASSERT_TRUE(server.ok()) << server.error().message;
    CampaignOptions o = against(server->endpoint, {true, false});
    o.duration = 1s;
    o.max_failures = 0;
    o.reruns = 1;
    o.needed = 1;
    o.shrink_time = 500ms;
    o.execute.stall_wait = 300ms;
    o.execute.close_wait = 300ms;
    const long before = memory_kib().first;
    const auto started = Clock::now();
    const CampaignResult r = run_campaign(o);
    const auto took = Clock::now() - started;
    // The duration, then what was running finishes (a stall wait at most) and
    // the failure is confirmed (a stall wait), shrunk (1 s) and confirmed again.
    EXPECT_LT(took, o.duration + o.shrink_time + 4 * o.execute.stall_wait + 2s) << mode;
    EXPECT_FALSE(r.failures.empty()) << mode;
    EXPECT_LT(memory_kib().first - before, 128 * 1024)
        << mode << ": resident memory grew by " << memory_kib().first - before << " KiB";
  }
}

}  // namespace
}  // namespace echo::conformance::explore
