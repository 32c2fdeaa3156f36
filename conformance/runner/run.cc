// run(): schedules the selected cases against each target.
#include <algorithm>
#include <atomic>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>

#include "conformance/runner/runner.h"
#include "conformance/runner/serving_probe.h"
#include "conformance/runner/watchdog.h"

namespace echo::conformance {
namespace {

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// One target's run: results slots and the serialised callback.
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
  }

  void note(std::string text) { report_.notes.push_back(std::move(text)); }

  void run_one(std::size_t index) {
    CaseResult result = run_guarded(*cases_[index], context_,
                                    scale_duration(options_.grace, options_.timeout_scale));
    std::lock_guard lock(mutex_);
    report_.cases.push_back(result);
    if (options_.on_case_done) options_.on_case_done(report_, report_.cases.back());
    slots_[index] = std::move(result);
  }

  // Runs the cases at `indices` on up to `jobs` threads.
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

  TargetReport finish() && {
    report_.cases.clear();
    for (auto& slot : slots_) report_.cases.push_back(std::move(*slot));
    return std::move(report_);
  }

 private:
  const std::vector<const Case*>& cases_;
  const RunOptions& options_;
  CaseContext context_;
  std::mutex mutex_;
  TargetReport report_;
  std::vector<std::optional<CaseResult>> slots_;
};

// The jobs to use: 1 when parallelism is off or pointless (at most one case
// could run alongside another), or when the server serves one client at a time.
unsigned effective_jobs(const std::vector<const Case*>& cases, const Target& target,
                        const RunOptions& options, TargetRun& run) {
  const auto shared =
      std::count_if(cases.begin(), cases.end(), [](const Case* c) { return !c->info.exclusive; });
  if (options.jobs <= 1 || shared <= 1) return 1;
  if (!options.detect_serial_servers) return options.jobs;
  if (probe_serving_model(target.address, options.timeout_scale) != ServingModel::kOneAtATime) {
    return options.jobs;
  }
  run.note(
      "the server served a second client only after the first disconnected, so its cases "
      "ran one at a time instead of on " +
      std::to_string(options.jobs) + " jobs");
  return 1;
}

TargetReport run_target(const std::vector<const Case*>& cases, const Target& target,
                        const RunOptions& options) {
  TargetRun run(cases, target, options);
  const unsigned jobs = effective_jobs(cases, target, options, run);
  if (jobs == 1) {
    for (std::size_t i = 0; i < cases.size(); ++i) run.run_one(i);
    return std::move(run).finish();
  }
  std::vector<std::size_t> shared;
  std::vector<std::size_t> exclusive;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    (cases[i]->info.exclusive ? exclusive : shared).push_back(i);
  }
  run.run_parallel(shared, jobs);
  for (std::size_t i : exclusive) run.run_one(i);
  return std::move(run).finish();
}

}  // namespace

RunReport run(const std::vector<const Case*>& cases, const std::vector<Target>& targets,
              const RunOptions& options) {
  RunReport report;
  report.seed = options.seed;
  report.started_at = utc_now_iso8601();
  report.timeout_scale = options.timeout_scale;
  for (const Target& target : targets) report.targets.push_back(run_target(cases, target, options));
  return report;
}

}  // namespace echo::conformance
