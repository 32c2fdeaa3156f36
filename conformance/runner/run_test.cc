#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "conformance/cases/testing/toy_server.h"
#include "conformance/runner/runner.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Kind = Observation::Kind;

// What the fake cases of one test share: who runs, in which order, and a
// gate that holds "hanging" cases until the test lets them go. Each test owns
// one, and the cases capture it (cases are std::functions over a context).
class Stage {
 public:
  ~Stage() {  // let abandoned hangers finish before the stage goes
    std::unique_lock lock(mutex_);
    released_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return hangers_ == 0; });
  }

  CaseFunction observes(Kind kind, std::string evidence = {}) {
    return [this, kind, evidence](const CaseContext& context) {
      Running running(*this, context.case_id);
      Observation o;
      o.kind = kind;
      o.evidence = evidence;
      return o;
    };
  }

  CaseFunction throws() {
    return [](const CaseContext&) -> Observation { throw std::runtime_error("boom"); };
  }

  // Hangs until the stage is released (long after the watchdog gave up).
  CaseFunction hangs() {
    return [this](const CaseContext&) {
      std::unique_lock lock(mutex_);
      ++hangers_;
      changed_.wait(lock, [this] { return released_; });
      --hangers_;
      changed_.notify_all();
      return Observation{};
    };
  }

  // Met only if `n` cases of its kind run at the same time (it waits for
  // them, up to its own deadline): proof that the cases run in parallel.
  CaseFunction needs_peers(int n) {
    return [this, n](const CaseContext& context) {
      Running running(*this, context.case_id);
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      const bool met =
          changed_.wait_until(lock, context.deadline.when(), [this, n] { return waiting_ >= n; });
      Observation o;
      o.kind = met ? Kind::kMet : Kind::kShortfall;
      o.evidence = "peers: " + std::to_string(waiting_);
      return o;
    };
  }

  // Met only if no other case runs alongside it.
  CaseFunction alone() {
    return [this](const CaseContext& context) {
      Running running(*this, context.case_id);
      std::lock_guard lock(mutex_);
      Observation o;
      o.kind = running_ == 1 ? Kind::kMet : Kind::kShortfall;
      o.evidence = "running alongside: " + std::to_string(running_ - 1);
      return o;
    };
  }

  CaseFunction reports_budget() {
    return [](const CaseContext& context) {
      Observation o;
      o.kind = Kind::kMeasured;
      o.figures.push_back(
          {"budget",
           std::chrono::duration<double, std::milli>(context.deadline.remaining()).count(), "ms"});
      return o;
    };
  }

  [[nodiscard]] std::vector<std::string> started() {
    std::lock_guard lock(mutex_);
    return started_;
  }

 private:
  struct Running {
    Running(Stage& stage, const std::string& id) : stage_(stage) {
      std::lock_guard lock(stage_.mutex_);
      ++stage_.running_;
      stage_.started_.push_back(id);
    }
    ~Running() {
      std::lock_guard lock(stage_.mutex_);
      --stage_.running_;
      stage_.changed_.notify_all();
    }
    Stage& stage_;
  };

  std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  int waiting_ = 0;
  int hangers_ = 0;
  bool released_ = false;
  std::vector<std::string> started_;
};

Case fake(std::string id, CaseFunction run, milliseconds deadline = milliseconds(2000),
          Schedule schedule = Schedule::kShared, Level level = Level::kRequired) {
  Case c;
  c.info.id = std::move(id);
  c.info.deadline = deadline;
  c.info.schedule = schedule;
  c.info.level = level;
  c.info.round_trips = 0;
  c.run = std::move(run);
  return c;
}

Case at_level(Level level, Case c) {
  c.info.level = level;
  return c;
}

RunReport run_fakes(const std::vector<Case>& cases, RunOptions options,
                    const Endpoint& target = Endpoint::loopback_v4(9)) {
  std::vector<const Case*> pointers;
  for (const Case& c : cases) pointers.push_back(&c);
  return run_cases(pointers, {Target{"fake", target, false}}, options);
}

RunOptions without_probes() {
  RunOptions options;
  options.probe_target = false;
  return options;
}

TEST(Runner, ReportsEachObservationGradedWithItsCase) {
  Stage stage;
  const std::vector<Case> cases = {fake("a.pass", stage.observes(Kind::kMet)),
                                   fake("b.fail", stage.observes(Kind::kShortfall, "it failed"))};
  RunReport report = run_fakes(cases, without_probes());
  ASSERT_EQ(report.targets.size(), 1u);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].info.id, "a.pass");
  EXPECT_EQ(results[0].verdict, Verdict::kPass);
  EXPECT_EQ(results[1].verdict, Verdict::kFail);
  EXPECT_EQ(results[1].observation.evidence, "it failed");
  EXPECT_EQ(report.targets[0].address, "127.0.0.1:9");
  EXPECT_FALSE(report.started_at.empty());
}

TEST(Runner, GradesEveryObservationByTheRegisteredLevelOnly) {
  Stage stage;
  const std::vector<Case> cases = {
      at_level(Level::kRequired, fake("required.short", stage.observes(Kind::kShortfall, "x"))),
      at_level(Level::kRecommended,
               fake("recommended.short", stage.observes(Kind::kShortfall, "x"))),
      at_level(Level::kRecommended, fake("recommended.throws", stage.throws())),
      at_level(Level::kInformational,
               fake("informational.short", stage.observes(Kind::kShortfall))),
      at_level(Level::kRequired, fake("required.slow", stage.observes(Kind::kSlow))),
      at_level(Level::kRequired, fake("required.not-judged", stage.observes(Kind::kNotJudged))),
      at_level(Level::kRecommended, fake("recommended.met", stage.observes(Kind::kMet))),
  };
  const RunReport report = run_fakes(cases, without_probes());
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), cases.size());
  EXPECT_EQ(results[0].verdict, Verdict::kFail);
  EXPECT_EQ(results[1].verdict, Verdict::kWarn);
  EXPECT_EQ(results[1].observation.evidence, "x");  // the evidence is kept
  EXPECT_EQ(results[2].verdict, Verdict::kWarn);
  EXPECT_NE(results[2].observation.evidence.find("boom"), std::string::npos);
  EXPECT_EQ(results[3].verdict, Verdict::kInfo);
  EXPECT_EQ(results[4].verdict, Verdict::kWarn) << "slowness is never a fail";
  EXPECT_EQ(results[5].verdict, Verdict::kNotJudged);
  EXPECT_EQ(results[6].verdict, Verdict::kPass);
}

TEST(Runner, ACaseThatHangsPastItsDeadlineFallsShortAndTheRunGoesOn) {
  Stage stage;
  const std::vector<Case> cases = {fake("hang", stage.hangs(), milliseconds(50)),
                                   fake("after", stage.observes(Kind::kMet))};
  RunOptions options = without_probes();
  options.grace = milliseconds(50);
  const auto start = Clock::now();
  RunReport report = run_fakes(cases, options);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].verdict, Verdict::kFail);
  EXPECT_NE(results[0].observation.evidence.find("case exceeded its deadline"), std::string::npos)
      << results[0].observation.evidence;
  EXPECT_GE(results[0].duration, milliseconds(100));
  EXPECT_EQ(results[1].verdict, Verdict::kPass);
}

TEST(Runner, FourJobsRunInParallelAndResultsKeepTheGivenOrder) {
  Stage stage;
  std::vector<Case> cases;
  for (int i = 0; i < 4; ++i)
    cases.push_back(fake("peer." + std::to_string(i), stage.needs_peers(4)));
  for (int i = 0; i < 6; ++i)
    cases.push_back(fake("plain." + std::to_string(i), stage.observes(Kind::kMet)));
  RunOptions options = without_probes();
  options.jobs = 4;
  RunReport report = run_fakes(cases, options);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(results[i].info.id, cases[i].info.id);
    EXPECT_EQ(results[i].verdict, Verdict::kPass)
        << results[i].info.id << ": " << results[i].observation.evidence;
  }
}

TEST(Runner, AloneAndHazardCasesRunAloneAfterTheSharedOnesHazardsLast) {
  Stage stage;
  std::vector<Case> cases;
  cases.push_back(fake("hazard", stage.alone(), milliseconds(2000), Schedule::kHazard));
  cases.push_back(fake("alone", stage.alone(), milliseconds(2000), Schedule::kAlone));
  for (int i = 0; i < 4; ++i)
    cases.push_back(fake("peer." + std::to_string(i), stage.needs_peers(4)));
  RunOptions options = without_probes();
  options.jobs = 4;
  RunReport report = run_fakes(cases, options);
  const auto& results = report.targets[0].cases;
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].info.id, "hazard") << "reported in the given order";
  for (const auto& r : results) {
    EXPECT_EQ(r.verdict, Verdict::kPass) << r.info.id << ": " << r.observation.evidence;
  }
  const std::vector<std::string> order = stage.started();
  ASSERT_EQ(order.size(), 6u);
  EXPECT_EQ(order[4], "alone");
  EXPECT_EQ(order[5], "hazard") << "cases that may kill the server run last";
}

TEST(Runner, CallbackSeesEveryCaseOnceAndSerially) {
  Stage stage;
  std::vector<Case> cases;
  for (int i = 0; i < 12; ++i) {
    cases.push_back(
        fake("c." + std::to_string(i), stage.observes(i % 3 ? Kind::kMet : Kind::kShortfall)));
  }
  RunOptions options = without_probes();
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

TEST(Runner, CaseDeadlineIsScaledByTimeoutScale) {
  Stage stage;
  RunOptions options = without_probes();
  options.timeout_scale = 3.0;
  RunReport report =
      run_fakes({fake("budget", stage.reports_budget(), milliseconds(1000))}, options);
  const auto& figures = report.targets[0].cases[0].observation.figures;
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_GT(figures[0].value, 2000.0);
  EXPECT_LE(figures[0].value, 3000.0);
  EXPECT_EQ(report.targets[0].cases[0].budget, milliseconds(3000)) << "reported with the result";
}

TEST(Runner, TwoStagesRunSideBySideWithoutSharingState) {
  Stage first;
  Stage second;
  const std::vector<Case> a = {fake("a", first.observes(Kind::kMet))};
  const std::vector<Case> b = {fake("b", second.observes(Kind::kShortfall, "b fell short"))};
  RunReport ra;
  RunReport rb;
  std::thread ta([&] { ra = run_fakes(a, without_probes()); });
  std::thread tb([&] { rb = run_fakes(b, without_probes()); });
  ta.join();
  tb.join();
  EXPECT_EQ(ra.targets[0].cases[0].verdict, Verdict::kPass);
  EXPECT_EQ(rb.targets[0].cases[0].verdict, Verdict::kFail);
  EXPECT_EQ(first.started(), std::vector<std::string>{"a"});
  EXPECT_EQ(second.started(), std::vector<std::string>{"b"});
}

// --- the target probes, against in-process servers -----------------------------

using testing::ToyBehaviour;
using testing::ToyServer;

TEST(RunnerProbes, MeasureTheRoundTripAndFindASerialServer) {
  auto server = ToyServer::start(ToyBehaviour::kOneAtATime);
  ASSERT_TRUE(server.ok()) << server.error().message;
  Stage stage;
  Case c = fake("tcp.case", stage.observes(Kind::kMet));
  c.info.transport = Transport::kTcp;
  RunOptions options;
  options.jobs = 4;
  const RunReport report = run_fakes({c, c}, options, (*server)->endpoint());
  const ServingFacts& serving = report.targets[0].serving;
  EXPECT_TRUE(serving.served_at_start);
  EXPECT_GT(serving.round_trip.count(), 0);
  EXPECT_TRUE(serving.one_client_at_a_time);
  ASSERT_EQ(report.targets[0].notes.size(), 1u);
  EXPECT_NE(report.targets[0].notes[0].find("ran one at a time"), std::string::npos);
}

// A case that stops the server (here: it stops the toy server itself) is
// named, and the cases after it are not run, never failed.
TEST(RunnerProbes, AServerThatStopsIsNamedAndLaterCasesAreNotJudged) {
  auto server = ToyServer::start(ToyBehaviour::kEcho);
  ASSERT_TRUE(server.ok()) << server.error().message;
  std::unique_ptr<ToyServer> running = std::move(*server);
  const Endpoint endpoint = running->endpoint();
  Stage stage;
  std::vector<Case> cases;
  cases.push_back(fake("tcp.first", stage.observes(Kind::kMet)));
  cases.push_back(fake(
      "tcp.killer",
      [&running](const CaseContext&) {
        running.reset();  // the server goes away during this case
        return Observation{};
      },
      milliseconds(2000), Schedule::kHazard, Level::kRecommended));
  cases.push_back(fake("tcp.after", stage.observes(Kind::kShortfall, "would blame the wrong case"),
                       milliseconds(2000), Schedule::kHazard));
  const RunReport report = run_fakes(cases, RunOptions{}, endpoint);
  const TargetReport& target = report.targets[0];
  ASSERT_TRUE(target.serving.stop.has_value());
  EXPECT_EQ(target.serving.stop->stopped_after, "tcp.killer");
  EXPECT_TRUE(target.serving.stop->refused);
  EXPECT_EQ(target.cases[0].verdict, Verdict::kPass);
  EXPECT_EQ(target.cases[1].verdict, Verdict::kWarn)
      << "a hazard it survived to the end but that left the server down falls short";
  EXPECT_EQ(target.cases[2].verdict, Verdict::kNotJudged);
  EXPECT_NE(target.cases[2].observation.evidence.find("stopped serving tcp after tcp.killer"),
            std::string::npos)
      << target.cases[2].observation.evidence;
  EXPECT_EQ(stage.started(), std::vector<std::string>{"tcp.first"}) << "tcp.after was not run";
  ASSERT_FALSE(target.findings.empty());
  EXPECT_EQ(target.findings[0].id, "server-stopped");
  EXPECT_EQ(target.cases[2].diagnosis, "server-stopped");
}

}  // namespace
}  // namespace echo::conformance
