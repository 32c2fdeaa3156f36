// Trial: runs given scripts (not generated ones) against the target, and the
// reference when differential, all at once on the calling thread, and says
// what each run showed (outcome.h). The campaign confirms and shrinks with
// it; `echo-conformance replay` runs a saved script with it. Its executors
// live as long as it does, so UDP sockets stay in quarantine between runs.
//
// Example:
//   Trial trial(options.execute, std::nullopt);
//   std::vector<Outcome> o = trial.run({script}, {});
//   if (o[0].shows(signature)) ...
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "conformance/explore/executor.h"
#include "conformance/explore/outcome.h"

namespace echo::conformance::explore {

struct TrialOptions {
  bool paced = false;        // datagrams paced (ExecuteOptions::pace_datagrams)
  bool probe_after = false;  // check after the runs whether the target still serves, even
                             // when no connect was refused (after each script when alone)
  bool detect_stops = true;  // check it when a connect was refused
  // How long to wait before checking: a server that dies of a reset dies when
  // it next writes, a moment after the script ended.
  std::chrono::milliseconds settle{0};
};

class Trial {
 public:
  Trial(const ExecuteOptions& options, std::optional<Endpoint> reference);

  [[nodiscard]] std::vector<Outcome> run(const std::vector<Script>& scripts,
                                         const TrialOptions& options);
  [[nodiscard]] const Endpoint& target() const noexcept { return normal_.options().target; }

 private:
  Executor normal_;
  Executor paced_;
  std::optional<Endpoint> reference_;
};

}  // namespace echo::conformance::explore
