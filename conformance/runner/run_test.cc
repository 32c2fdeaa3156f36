#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "conformance/runner/runner.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// State shared with the fake cases (plain functions, so globals).
std::mutex g_mutex;
std::condition_variable g_changed;
int g_running = 0;
int g_max_running = 0;
int g_started = 0;
bool g_release_hangers = false;
int g_hangers_alive = 0;

struct Running {
  Running() {
    std::lock_guard lock(g_mutex);
    g_max_running = std::max(g_max_running, ++g_running);
    ++g_started;
    g_changed.notify_all();
  }
  ~Running() {
    std::lock_guard lock(g_mutex);
    --g_running;
    g_changed.notify_all();
  }
};

Outcome with(Verdict verdict, std::string evidence = {}) {
  Outcome o;
  o.verdict = verdict;
  o.evidence = std::move(evidence);
  return o;
}

Outcome passes(const CaseContext&) {
  Running r;
  return with(Verdict::kPass);
}
Outcome fails(const CaseContext&) {
  Running r;
  return with(Verdict::kFail, "it failed");
}
Outcome throws(const CaseContext&) { throw std::runtime_error("boom"); }

// Hangs until the test releases it (long after the watchdog gave up).
Outcome hangs(const CaseContext&) {
  std::unique_lock lock(g_mutex);
  ++g_hangers_alive;
  g_changed.wait(lock, [] { return g_release_hangers; });
  --g_hangers_alive;
  g_changed.notify_all();
  return with(Verdict::kPass);
}

// Passes only if four of its kind run at the same time (it waits for them, up
// to its own deadline): proof that jobs=4 runs cases in parallel.
Outcome needs_three_peers(const CaseContext& context) {
  Running r;
  std::unique_lock lock(g_mutex);
  const bool met =
      g_changed.wait_until(lock, context.deadline.when(), [] { return g_started >= 4; });
  return with(met ? Verdict::kPass : Verdict::kFail, "peers: " + std::to_string(g_started));
}

// Passes only if no other case runs alongside it.
Outcome alone(const CaseContext&) {
  Running r;
  std::lock_guard lock(g_mutex);
  return with(g_running == 1 ? Verdict::kPass : Verdict::kFail,
              "running alongside: " + std::to_string(g_running - 1));
}

Outcome reports_budget(const CaseContext& context) {
  Outcome o = with(Verdict::kInfo);
  o.figures.push_back(
      {"budget", std::chrono::duration<double, std::milli>(context.deadline.remaining()).count(),
       "ms"});
  return o;
}

Outcome warns(const CaseContext&) { return with(Verdict::kWarn, "it warned"); }

Case fake(std::string id, CaseFunction run, milliseconds deadline = milliseconds(2000),
          bool exclusive = false) {
  Case c;
  c.info.id = std::move(id);
  c.info.deadline = deadline;
  c.info.exclusive = exclusive;
  c.run = run;
  return c;
}

RunReport run_fakes(const std::vector<Case>& cases, RunOptions options) {
  std::vector<const Case*> pointers;
  for (const Case& c : cases) pointers.push_back(&c);
  options.detect_serial_servers = false;
  return run(pointers, {Target{"fake", Endpoint::loopback_v4(9), false}}, options);
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::lock_guard lock(g_mutex);
    g_running = g_max_running = g_started = 0;
    g_release_hangers = false;
  }
  void TearDown() override {  // let abandoned hangers finish before the next test
    std::unique_lock lock(g_mutex);
    g_release_hangers = true;
    g_changed.notify_all();
    g_changed.wait(lock, [] { return g_hangers_alive == 0; });
  }
};

TEST_F(RunnerTest, ReportsEachVerdictWithItsCase) {
  const std::vector<Case> cases = {fake("a.pass", passes), fake("b.fail", fails)};
  RunReport report = run_fakes(cases, {});
  ASSERT_EQ(report.targets.size(), 1u);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].info.id, "a.pass");
  EXPECT_EQ(results[0].outcome.verdict, Verdict::kPass);
  EXPECT_EQ(results[1].outcome.verdict, Verdict::kFail);
  EXPECT_EQ(results[1].outcome.evidence, "it failed");
  EXPECT_EQ(report.targets[0].address, "127.0.0.1:9");
  EXPECT_FALSE(report.started_at.empty());
}

Case at_level(Level level, Case c) {
  c.info.level = level;
  return c;
}

TEST_F(RunnerTest, OnlyRequiredCasesRecordAFail) {
  const std::vector<Case> cases = {
      at_level(Level::kRequired, fake("required.fails", fails)),
      at_level(Level::kRecommended, fake("recommended.fails", fails)),
      at_level(Level::kRecommended, fake("recommended.throws", throws)),
      at_level(Level::kInformational, fake("informational.fails", fails)),
      at_level(Level::kInformational, fake("informational.warns", warns)),
      at_level(Level::kRecommended, fake("recommended.passes", passes)),
  };
  const RunReport report = run_fakes(cases, {});
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), cases.size());
  EXPECT_EQ(results[0].outcome.verdict, Verdict::kFail);
  EXPECT_EQ(results[1].outcome.verdict, Verdict::kWarn);
  EXPECT_EQ(results[1].outcome.evidence, "it failed");  // the evidence is kept
  EXPECT_EQ(results[2].outcome.verdict, Verdict::kWarn);
  EXPECT_NE(results[2].outcome.evidence.find("boom"), std::string::npos);
  EXPECT_EQ(results[3].outcome.verdict, Verdict::kInfo);
  EXPECT_EQ(results[4].outcome.verdict, Verdict::kInfo);
  EXPECT_EQ(results[5].outcome.verdict, Verdict::kPass);
}

TEST_F(RunnerTest, RecommendedCaseThatHangsPastItsDeadlineWarns) {
  RunOptions options;
  options.grace = milliseconds(50);
  RunReport report =
      run_fakes({at_level(Level::kRecommended, fake("hang", hangs, milliseconds(50)))}, options);
  const Outcome& o = report.targets[0].cases[0].outcome;
  EXPECT_EQ(o.verdict, Verdict::kWarn);
  EXPECT_NE(o.evidence.find("case exceeded its deadline"), std::string::npos) << o.evidence;
}

TEST_F(RunnerTest, CaseThatHangsPastItsDeadlineFailsAndTheRunGoesOn) {
  const std::vector<Case> cases = {fake("hang", hangs, milliseconds(50)), fake("after", passes)};
  RunOptions options;
  options.grace = milliseconds(50);
  const auto start = Clock::now();
  RunReport report = run_fakes(cases, options);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome.verdict, Verdict::kFail);
  EXPECT_NE(results[0].outcome.evidence.find("case exceeded its deadline"), std::string::npos)
      << results[0].outcome.evidence;
  EXPECT_GE(results[0].duration, milliseconds(100));
  EXPECT_EQ(results[1].outcome.verdict, Verdict::kPass);
}

TEST_F(RunnerTest, ExceptionInACaseIsAFailNamingIt) {
  RunReport report = run_fakes({fake("throws", throws)}, {});
  const Outcome& o = report.targets[0].cases[0].outcome;
  EXPECT_EQ(o.verdict, Verdict::kFail);
  EXPECT_NE(o.evidence.find("boom"), std::string::npos);
}

TEST_F(RunnerTest, FourJobsRunInParallelAndResultsKeepTheGivenOrder) {
  std::vector<Case> cases;
  for (int i = 0; i < 4; ++i) cases.push_back(fake("peer." + std::to_string(i), needs_three_peers));
  for (int i = 0; i < 6; ++i) cases.push_back(fake("plain." + std::to_string(i), passes));
  RunOptions options;
  options.jobs = 4;
  RunReport report = run_fakes(cases, options);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(results[i].info.id, cases[i].info.id);
    EXPECT_EQ(results[i].outcome.verdict, Verdict::kPass)
        << results[i].info.id << ": " << results[i].outcome.evidence;
  }
}

TEST_F(RunnerTest, ExclusiveCasesRunAlone) {
  std::vector<Case> cases;
  for (int i = 0; i < 4; ++i) cases.push_back(fake("peer." + std::to_string(i), needs_three_peers));
  cases.insert(cases.begin() + 2, fake("alone", alone, milliseconds(2000), /*exclusive=*/true));
  RunOptions options;
  options.jobs = 4;
  RunReport report = run_fakes(cases, options);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[2].info.id, "alone");
  for (const auto& r : results)
    EXPECT_EQ(r.outcome.verdict, Verdict::kPass) << r.info.id << ": " << r.outcome.evidence;
}

TEST_F(RunnerTest, CallbackSeesEveryCaseOnceAndSerially) {
  std::vector<Case> cases;
  for (int i = 0; i < 12; ++i)
    cases.push_back(fake("c." + std::to_string(i), i % 3 ? passes : fails));
  RunOptions options;
  options.jobs = 4;
  int calls = 0;  // unsynchronised on purpose: TSan flags it if callbacks overlap
  std::set<std::string> seen;
  options.on_case_done = [&](const TargetReport& target, const CaseResult& result) {
    ++calls;
    seen.insert(result.info.id);
    EXPECT_EQ(target.name, "fake");
    EXPECT_EQ(target.cases.size(), static_cast<std::size_t>(calls));
  };
  RunReport report = run_fakes(cases, options);
  EXPECT_EQ(calls, 12);
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(RunnerTest, CaseDeadlineIsScaledByTimeoutScale) {
  RunOptions options;
  options.timeout_scale = 3.0;
  RunReport report = run_fakes({fake("budget", reports_budget, milliseconds(1000))}, options);
  const auto& figures = report.targets[0].cases[0].outcome.figures;
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_GT(figures[0].value, 2000.0);
  EXPECT_LE(figures[0].value, 3000.0);
}

}  // namespace
}  // namespace echo::conformance
