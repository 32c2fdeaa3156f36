// run_cases(): schedules the selected cases against each target, watches
// whether the target still serves, and derives the findings.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "conformance/findings/diagnose.h"
#include "conformance/runner/health.h"
#include "conformance/runner/runner.h"
#include "conformance/runner/serving_probe.h"
#include "conformance/runner/watchdog.h"
#include "core/util/human_text.h"

namespace echo::conformance {
namespace {

using std::chrono::microseconds;

std::string round_trip_text(microseconds rtt) {
  const auto tenths = (rtt.count() + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " ms";
}

// One target's run: the cases' slots, the serialised callback, and what the
// runner knows of whether the target serves.
class TargetRun {
 public:
  TargetRun(const std::vector<const Case*>& cases, const Target& target, const RunOptions& options)
      : cases_(cases), options_(options), slots_(cases.size()) {
    report_.name = target.name;
    report_.address = target.address.to_string();
    report_.is_reference = target.is_reference;
    context_.target = target.address;
    context_.seed = options.seed;
    context_.timeout_scale = options.timeout_scale;
    context_.recorder = options.recorder;
    context_.stress_connections = options.stress_connections;
    for (const Case* c : cases) uses(c->info.transport) = true;
    health_transport_ = uses(Transport::kTcp) ? Transport::kTcp : Transport::kUdp;
  }

  TargetReport run() && {
    const unsigned jobs = prepare();
    std::vector<std::size_t> shared;
    std::vector<std::size_t> alone;
    std::vector<std::size_t> hazards;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const Schedule schedule = cases_[i]->info.schedule;
      (schedule == Schedule::kShared  ? shared
       : schedule == Schedule::kAlone ? alone
                                      : hazards)
          .push_back(i);
    }
    run_parallel(shared, jobs);
    for (std::size_t i : alone) run_one(i);
    for (std::size_t i : hazards) run_one(i);
    report_.cases.clear();
    for (auto& slot : slots_) report_.cases.push_back(std::move(*slot));
    diagnose(report_);
    return std::move(report_);
  }

 private:
  // The round trip, whether the target serves, and how many jobs it can take.
  unsigned prepare() {
    const bool parallel =
        options_.jobs > 1 && std::count_if(cases_.begin(), cases_.end(), [](const Case* c) {
                               return c->info.schedule == Schedule::kShared;
                             }) > 1;
    if (!options_.probe_target) return parallel ? options_.jobs : 1;
    ServingFacts& serving = report_.serving;
    // Timing a few echoes also tells whether the target serves at all.
    const std::optional<microseconds> round_trip =
        measure_round_trip(context_.target, health_transport_, options_.timeout_scale);
    serving.served_at_start = round_trip.has_value();
    serving.round_trip = round_trip.value_or(microseconds(0));
    context_.round_trip = serving.round_trip;
    watch(health_transport_).served_at_start = serving.served_at_start;
    if (health_transport_ == Transport::kTcp && uses(Transport::kUdp)) {
      watch(Transport::kUdp).served_at_start = check(Transport::kUdp).served;
    }
    if (serving.round_trip >= kNotableRoundTrip) {
      report_.notes.push_back(
          "the round-trip time to the target is " + round_trip_text(serving.round_trip) +
          ": every deadline allows for it, and the cases that make many exchanges (churn, "
          "latency) make fewer");
    }
    if (health_transport_ == Transport::kTcp && serving.served_at_start &&
        probe_serving_model(context_.target, options_.timeout_scale) == ServingModel::kOneAtATime) {
      serving.one_client_at_a_time = true;
      if (parallel) {
        report_.notes.push_back(
            "the server served a second client only after the first disconnected, so its "
            "cases ran one at a time instead of on " +
            std::to_string(options_.jobs) + " jobs");
      }
      return 1;
    }
    return parallel ? options_.jobs : 1;
  }

  // What the runner knows of one transport's service.
  struct Watch {
    bool used = false;             // the run has cases of this transport
    bool served_at_start = false;  // health checks mean something only then
    bool stopped = false;          // the last check found it not serving
    int failed_rechecks = 0;       // checks before cases, since it stopped
    std::string stopped_after;     // the case after which it stopped
  };
  Watch& watch(Transport transport) { return watches_[transport == Transport::kTcp ? 0 : 1]; }
  bool& uses(Transport transport) { return watch(transport).used; }

  [[nodiscard]] Health check(Transport transport, bool quick = false) const {
    return check_serving(context_.target, transport, options_.timeout_scale, context_.round_trip,
                         quick);
  }

  // Health checks only mean something against a target that served at first.
  [[nodiscard]] bool watching(Transport transport) {
    return options_.probe_target && watch(transport).served_at_start;
  }

  void run_parallel(const std::vector<std::size_t>& indices, unsigned jobs) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t i = next++; i < indices.size(); i = next++) run_one(indices[i]);
    };
    std::vector<std::thread> threads;
    const auto count = std::min<std::size_t>(jobs, indices.size());
    for (std::size_t t = 1; t < count; ++t) threads.emplace_back(worker);
    worker();
    for (auto& thread : threads) thread.join();
  }

  void run_one(std::size_t index) {
    const Case& c = *cases_[index];
    std::optional<CaseResult> result = not_run_if_stopped(c);
    if (!result) {
      begin(c.info.id);
      result = run_guarded(c, context_, scale_duration(options_.grace, options_.timeout_scale));
      after_case(*result);
    }
    std::lock_guard lock(mutex_);
    report_.cases.push_back(*result);
    if (options_.on_case_done) options_.on_case_done(report_, report_.cases.back());
    slots_[index] = std::move(*result);
  }

  // When the target has stopped serving the case's transport: checks again
  // (briefly; after three failed checks, no more), and if it still does not
  // serve, the case is not run (not judged, never failed).
  static constexpr int kRechecks = 3;

  std::optional<CaseResult> not_run_if_stopped(const Case& c) {
    const Transport transport = c.info.transport;
    std::string stopped_after;
    bool recheck = false;
    {
      std::lock_guard lock(mutex_);
      Watch& w = watch(transport);
      if (!w.stopped) return std::nullopt;
      stopped_after = w.stopped_after;
      recheck = w.failed_rechecks < kRechecks;
    }
    const Health health = recheck ? check(transport, /*quick=*/true)
                                  : Health{false, false, "not checked again after three checks"};
    std::lock_guard lock(mutex_);
    Watch& w = watch(transport);
    if (health.served) {
      w.stopped = false;
      w.failed_rechecks = 0;
      if (report_.serving.stop && report_.serving.stop->back_before.empty()) {
        report_.serving.stop->back_before = c.info.id;
      }
      return std::nullopt;
    }
    if (recheck) ++w.failed_rechecks;
    CaseResult result;
    result.info = c.info;
    result.observation.kind = Observation::Kind::kNotJudged;
    result.observation.evidence =
        "not run: the server stopped serving " + std::string(to_string(transport)) + " after " +
        stopped_after + ", and before this case it still did not serve (" + health.evidence + ")";
    result.verdict = grade(c.info.level, result.observation.kind);
    return result;
  }

  void begin(const std::string& id) {
    std::lock_guard lock(mutex_);
    for (const std::string& other : running_) overlapping_[other].push_back(id);
    running_.push_back(id);
    overlapping_[id] = running_;
  }

  // The check after a case: a target that no longer serves is recorded once
  // (after which case, alongside which), and a hazardous case that it
  // survived to the end but that left it not serving falls short.
  void after_case(CaseResult& result) {
    const std::string& id = result.info.id;
    const Transport transport = result.info.transport;
    std::optional<Health> health;
    if (watching(transport)) health = check(transport);
    std::lock_guard lock(mutex_);
    const std::vector<std::string> overlapped = overlapping_[id];
    running_.erase(std::find(running_.begin(), running_.end(), id));
    if (!health || health->served) return;
    Watch& w = watch(transport);
    if (!w.stopped) w.stopped_after = id;
    if (!w.stopped && !report_.serving.stop) {
      ServingFacts::Stop stop;
      stop.transport = transport;
      stop.stopped_after = id;
      stop.running = overlapped;
      stop.refused = health->refused;
      stop.evidence = health->evidence;
      report_.serving.stop = std::move(stop);
    }
    w.stopped = true;
    if (result.info.schedule == Schedule::kHazard &&
        result.observation.kind == Observation::Kind::kMet) {
      result.observation.kind = Observation::Kind::kShortfall;
      result.observation.evidence =
          "the case's clients were served, but right after it the server no longer served: " +
          health->evidence;
      result.observation.expected = "the server still serving after this case";
      result.observation.actual = health->refused ? "connections refused" : "not served";
      result.verdict = grade(result.info.level, result.observation.kind);
    }
  }

  // Round trips above this are named in the report.
  static constexpr microseconds kNotableRoundTrip{5000};

  const std::vector<const Case*>& cases_;
  const RunOptions& options_;
  CaseContext context_;
  Transport health_transport_ = Transport::kTcp;
  std::mutex mutex_;
  TargetReport report_;
  std::vector<std::optional<CaseResult>> slots_;
  std::vector<std::string> running_;  // ids of the cases running now
  // For each case started: every case that ran at some time while it did.
  std::map<std::string, std::vector<std::string>> overlapping_;
  Watch watches_[2];  // TCP, UDP
};

}  // namespace

RunReport run_cases(const std::vector<const Case*>& cases, const std::vector<Target>& targets,
                    const RunOptions& options) {
  RunReport report;
  report.seed = options.seed;
  report.started_at = utc_now_iso8601();
  report.timeout_scale = options.timeout_scale;
  for (const Target& target : targets) {
    report.targets.push_back(TargetRun(cases, target, options).run());
  }
  return report;
}

}  // namespace echo::conformance
