#include "conformance/explore/trial.h"

#include <memory>
#include <thread>

#include "conformance/explore/spawned_server.h"

namespace echo::conformance::explore {
namespace {

ExecuteOptions with_pacing(ExecuteOptions options) {
  options.pace_datagrams = true;
  return options;
}

}  // namespace

Trial::Trial(const ExecuteOptions& options, std::optional<Endpoint> reference)
    : normal_(options), paced_(with_pacing(options)), reference_(reference) {}

std::vector<Outcome> Trial::run(const std::vector<Script>& scripts, const TrialOptions& options) {
  Executor& executor = options.paced ? paced_ : normal_;
  std::vector<ScriptRecord> on_target(scripts.size());
  std::vector<ScriptRecord> on_reference(scripts.size());
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    auto script = std::make_shared<const Script>(scripts[i]);
    executor.start(script, [&on_target, i](ScriptRecord r) { on_target[i] = std::move(r); });
    if (reference_) {
      executor.start(
          script, [&on_reference, i](ScriptRecord r) { on_reference[i] = std::move(r); },
          *reference_);
    }
  }
  while (executor.running() > 0) executor.poll(std::chrono::milliseconds(100));

  bool refused = false;
  for (const ScriptRecord& r : on_target) refused = refused || r.connect_refused();
  const bool probe = options.probe_after || (options.detect_stops && refused);
  if (probe && options.settle.count() > 0) std::this_thread::sleep_for(options.settle);
  const bool stopped = probe && !still_serving(target());
  std::vector<Outcome> outcomes;
  outcomes.reserve(scripts.size());
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    outcomes.push_back(
        outcome_of(scripts[i], on_target[i], reference_ ? &on_reference[i] : nullptr, stopped));
  }
  return outcomes;
}

}  // namespace echo::conformance::explore
