// A fuzzing campaign against one server: `jobs` threads, each an Executor
// with up to `in_flight` generated scripts running at once, for `duration`.
// Script i of a run is generate_script(derive_seed(seed, i)), so a failure
// names the script that found it. When a script fails, fuzzing pauses (the
// scripts in flight finish) and the calling thread, alone on the server:
//   1. re-runs it `reruns` times; it is confirmed when it fails the same way
//      (outcome.h) at least `needed` times, else reported as flaky with the
//      count; one that does not fail again at all is dismissed (counted in
//      `unconfirmed`). A failure that rests on a missing UDP reply is re-run
//      with paced datagrams, so socket buffers cannot have dropped it;
//   2. shrinks a confirmed failure (shrink.h), candidates run `batch` at a
//      time, and confirms the result again;
//   3. reports it (on_failure, e.g. to save it) and fuzzing resumes.
// Failures are deduplicated by signature: later scripts failing the same way
// only count as occurrences. A connect refused means the server may have
// died: if it no longer accepts connections, a server the fuzzer did not
// start ends the run (the scripts that were running are reported as
// suspects); one it started (--spawn) is restarted, the scripts that ran
// last are replayed alone to find the one after which it stops, and that
// one is shrunk like any failure.
//
// Example:
//   CampaignOptions o;
//   o.execute.target = endpoint;
//   o.duration = std::chrono::seconds(60);
//   CampaignResult r = run_campaign(o);   // r.failures, r.scripts_per_s
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/explore/executor.h"
#include "conformance/explore/generate.h"
#include "conformance/explore/outcome.h"
#include "conformance/explore/shrink.h"
#include "conformance/explore/spawned_server.h"

namespace echo::conformance::explore {

struct FuzzFailure {
  Signature signature;  // what failed: a finding id (and the difference, if differential)
  std::string detail;   // the evidence of the reported script's last failing run
  Outcome outcome;      // that run (traces of every failing channel)
  std::uint64_t script_index = 0;  // the generated script that found it
  Script found;                    // as generated
  Script script;                   // as reported: shrunk when confirmed, else as found
  std::size_t reproduced = 0;      // failing runs of `script` among `reruns`
  std::size_t reruns = 0;
  bool flaky = false;  // reproduced fewer than `needed` times
  std::size_t shrink_runs = 0;
  bool shrink_complete = true;
  std::size_t occurrences = 1;  // scripts of the run that failed this way
  // Server stops only: how the spawned server ended, and when the fuzzer did
  // not start it, the scripts that were running when it stopped (any may be it).
  std::string exit_description;
  std::vector<Script> suspects;
  // Where on_failure saved it (script.h's text form), if it did.
  std::string saved;
  std::vector<std::string> saved_suspects;
};

struct CampaignProgress {
  std::chrono::milliseconds elapsed{0};
  std::uint64_t scripts_run = 0;
  double scripts_per_s = 0;
  std::size_t failures = 0;
  std::string activity;  // "fuzzing", "confirming nul-cut", "shrinking nul-cut"
};

struct CampaignOptions {
  ExecuteOptions execute;             // the target and the waits
  std::optional<Endpoint> reference;  // --differential: also run every script here
  std::chrono::milliseconds duration{60000};
  std::uint64_t seed = 0;
  unsigned jobs = 1;
  std::size_t in_flight = 128;  // scripts at once per job
  GeneratorOptions generator;
  std::size_t reruns = 3;        // n of "k of n"
  std::size_t needed = 3;        // k
  std::size_t max_failures = 0;  // stop after this many (0: no limit)
  ShrinkOptions shrink;          // its deadline is set per failure from shrink_time
  std::chrono::milliseconds shrink_time{120000};
  SpawnedServer* spawned = nullptr;                // --spawn: the fuzzer restarts it after a crash
  bool detect_stops = true;                        // probe the target after refused connects (TCP)
  const std::atomic<bool>* interrupted = nullptr;  // set by a signal handler: stop soon
  std::function<void(const CampaignProgress&)> on_progress;  // about every 250 ms
  std::function<void(FuzzFailure&)> on_failure;              // each failure, once reported
};

struct CampaignResult {
  enum class Stop { kDuration, kMaxFailures, kTargetStopped, kInterrupted };
  Stop stop = Stop::kDuration;
  std::uint64_t scripts_run = 0;
  std::chrono::milliseconds elapsed{0};  // the whole run, confirming and shrinking included
  std::chrono::milliseconds fuzzing{0};  // the part spent running generated scripts
  double scripts_per_s = 0;              // scripts_run / fuzzing
  std::vector<FuzzFailure> failures;
  // Failures that did not fail even once when re-run alone: not reported as
  // failures (on a loaded machine, loopback loses datagrams and timing
  // drifts), but counted here by signature. After kGiveUp such dismissals a
  // signature is no longer re-run.
  std::map<std::string, std::size_t> unconfirmed;
  std::size_t restarts = 0;  // of a spawned server
};

inline constexpr std::size_t kGiveUp = 3;

[[nodiscard]] const char* to_string(CampaignResult::Stop stop) noexcept;

[[nodiscard]] CampaignResult run_campaign(const CampaignOptions& options);

}  // namespace echo::conformance::explore
