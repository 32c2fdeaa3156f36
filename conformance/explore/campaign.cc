#include "conformance/explore/campaign.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "conformance/explore/trial.h"
#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Scripts kept, newest last, as suspects when a server stops.
constexpr std::size_t kRecentScripts = 64;

milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

// A failing script a job saw, for the calling thread to confirm.
struct Suspect {
  std::uint64_t index = 0;
  std::shared_ptr<const Script> script;
  Outcome outcome;
  bool refused = false;  // a connect was refused (and nothing else failed)
};

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& options)
      : options_(options), trial_(options.execute, options.reference) {}

  CampaignResult run() {
    started_ = Clock::now();
    fuzz_started_ = started_;
    for (unsigned j = 0; j < std::max(1u, options_.jobs); ++j) {
      jobs_.emplace_back([this] { job(); });
    }
    const Clock::time_point end = started_ + options_.duration;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, milliseconds(250), [this] { return !suspects_.empty(); });
      if (options_.interrupted != nullptr && options_.interrupted->load()) {
        stop(CampaignResult::Stop::kInterrupted);
        break;
      }
      if (Clock::now() >= end) break;
      lock.unlock();
      report_progress("fuzzing");
      lock.lock();
      if (suspects_.empty()) continue;
      pause_jobs(lock);
      handle_suspects(lock);
      resume_jobs();
    }
    stopping_ = true;
    paused_ = false;
    resume_.notify_all();
    lock.unlock();
    for (std::thread& t : jobs_) t.join();
    fuzzing_ += since(fuzz_started_);
    // Failures found at the very end are still confirmed and reported.
    lock.lock();
    if (result_.stop == CampaignResult::Stop::kDuration) handle_suspects(lock);
    lock.unlock();
    result_.scripts_run = scripts_run_.load();
    result_.elapsed = since(started_);
    result_.fuzzing = fuzzing_;
    const double seconds = std::chrono::duration<double>(fuzzing_).count();
    result_.scripts_per_s = seconds > 0 ? static_cast<double>(result_.scripts_run) / seconds : 0;
    if (options_.spawned != nullptr) result_.restarts = options_.spawned->restarts();
    report_progress("done");
    return std::move(result_);
  }

 private:
  // --- the job threads ---------------------------------------------------------

  void job() {
    Executor executor(options_.execute);
    std::size_t running = 0;  // scripts (a differential script counts once)
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (stopping_ && running == 0) return;
        if (paused_ && running == 0) {
          ++idle_;
          idle_changed_.notify_all();
          resume_.wait(lock, [this] { return !paused_ || stopping_; });
          --idle_;
          continue;
        }
      }
      while (!stopping_ && !paused_ && running < options_.in_flight) {
        start_next(executor, running);
      }
      executor.poll(milliseconds(10));
    }
  }

  // What a job keeps of a script until both runs of a differential script are in.
  struct Pending {
    std::shared_ptr<const Script> script;
    std::uint64_t index = 0;
    std::optional<ScriptRecord> target;
    std::optional<ScriptRecord> reference;
  };

  void start_next(Executor& executor, std::size_t& running) {
    const std::uint64_t index = next_index_++;
    auto script = std::make_shared<const Script>(
        generate_script(derive_seed(options_.seed, index), options_.generator));
    remember(index, script);
    auto pending = std::make_shared<Pending>();
    pending->script = script;
    pending->index = index;
    ++running;
    const bool differential = options_.reference.has_value();
    auto finish = [this, pending, differential, &running] {
      if (!pending->target || (differential && !pending->reference)) return;
      --running;
      evaluate(*pending);
    };
    executor.start(script, [pending, finish](ScriptRecord r) {
      pending->target = std::move(r);
      finish();
    });
    if (differential) {
      executor.start(
          script,
          [pending, finish](ScriptRecord r) {
            pending->reference = std::move(r);
            finish();
          },
          *options_.reference);
    }
  }

  void remember(std::uint64_t index, std::shared_ptr<const Script> script) {
    std::lock_guard lock(recent_mutex_);
    recent_.emplace_back(index, std::move(script));
    if (recent_.size() > kRecentScripts * std::max(1u, options_.jobs)) recent_.pop_front();
  }

  void evaluate(const Pending& p) {
    ++scripts_run_;
    Outcome outcome =
        outcome_of(*p.script, *p.target, p.reference ? &*p.reference : nullptr, false);
    // A refused connect comes first: when the server died mid-script, the
    // other failures of that script are the death's, not defects of their own.
    const bool refused = p.target->connect_refused() && options_.detect_stops;
    const Signature signature = refused ? Signature{} : outcome.signature();
    if (signature.empty() && !refused) return;
    std::lock_guard lock(mutex_);
    if (!refused) {
      if (auto known = reported_.find(signature.key()); known != reported_.end()) {
        ++result_.failures[known->second].occurrences;
        return;
      }
      if (auto dismissed = result_.unconfirmed.find(signature.key());
          dismissed != result_.unconfirmed.end() && dismissed->second >= kGiveUp) {
        return;
      }
      if (queued_.contains(signature.key())) {
        ++queued_[signature.key()];
        return;
      }
      queued_[signature.key()] = 0;
    } else if (refused_queued_) {
      return;
    } else {
      refused_queued_ = true;
    }
    suspects_.push_back(Suspect{p.index, p.script, std::move(outcome), refused});
    wake_.notify_all();
  }

  // --- the calling thread ------------------------------------------------------

  void pause_jobs(std::unique_lock<std::mutex>& lock) {
    paused_ = true;
    report_progress_locked(lock, "waiting for the running scripts");
    idle_changed_.wait(lock, [this] { return idle_ == jobs_.size(); });
    fuzzing_ += since(fuzz_started_);  // the scripts that ran on count, so does their time
    idle_accounted_ = true;
  }

  void resume_jobs() {
    idle_accounted_ = false;
    paused_ = false;
    fuzz_started_ = Clock::now();
    resume_.notify_all();
  }

  void stop(CampaignResult::Stop why) {
    stopping_ = true;
    result_.stop = why;
  }

  void handle_suspects(std::unique_lock<std::mutex>& lock) {
    while (!suspects_.empty() && !stopping_after_failure()) {
      Suspect suspect = std::move(suspects_.front());
      suspects_.pop_front();
      const bool refused = suspect.refused;
      const std::string key = suspect.outcome.signature().key();
      lock.unlock();
      if (refused) {
        handle_refused(suspect);
      } else {
        handle_failure(suspect);
      }
      lock.lock();
      if (!refused) queued_.erase(key);
      if (refused) refused_queued_ = false;
    }
  }

  [[nodiscard]] bool stopping_after_failure() const {
    return result_.stop == CampaignResult::Stop::kMaxFailures ||
           result_.stop == CampaignResult::Stop::kTargetStopped ||
           result_.stop == CampaignResult::Stop::kInterrupted;
  }

  TrialOptions trial_options(const Signature& signature) const {
    TrialOptions o;
    o.paced = rests_on_loss(signature.finding);
    o.detect_stops = options_.detect_stops;
    return o;
  }

  // How many of `reruns` runs of `script`, one at a time, fail as `signature`;
  // the last failing run's outcome goes to `last`. Stops early (setting
  // `stopped`) when the target stops serving, and when the first paced run of
  // a missing reply is answered: the server answers it, the loss was the
  // load's (a paced run can take seconds, for instance when the server leaves
  // repeated datagrams unanswered on purpose).
  std::size_t reproduce(const Script& script, const Signature& signature, Outcome& last,
                        bool& stopped) {
    const TrialOptions trial = trial_options(signature);
    std::size_t failed = 0;
    for (std::size_t i = 0; i < options_.reruns; ++i) {
      Outcome o = trial_.run({script}, trial).front();
      if (o.target_stopped) {
        stopped = true;
        return failed;
      }
      if (o.shows(signature)) {
        ++failed;
        last = std::move(o);
      } else if (i == 0 && trial.paced) {
        return 0;
      }
    }
    return failed;
  }

  void handle_failure(Suspect& suspect) {
    const Signature signature = suspect.outcome.signature();
    FuzzFailure f;
    f.signature = signature;
    f.script_index = suspect.index;
    f.found = *suspect.script;
    f.script = f.found;
    f.outcome = suspect.outcome;
    f.occurrences = 1 + queued_count(signature);
    report_progress("confirming " + signature.finding);
    f.reruns = options_.reruns;
    bool stopped = false;
    f.reproduced = reproduce(f.found, signature, f.outcome, stopped);
    if (stopped) {
      // The server stopped: the failures of the script are likely its death's.
      suspect.refused = true;
      return handle_refused(suspect);
    }
    if (f.reproduced == 0) return dismiss(signature);
    f.flaky = f.reproduced < options_.needed;
    if (!f.flaky) {
      report_progress("shrinking " + signature.finding);
      ShrinkOptions shrink_options = options_.shrink;
      shrink_options.deadline = Clock::now() + options_.shrink_time;
      const TrialOptions trial = trial_options(signature);
      const ShrinkResult shrunk = shrink(
          f.found,
          [&](const std::vector<Script>& candidates) {
            std::vector<bool> fails;
            for (const Outcome& o : trial_.run(candidates, trial))
              fails.push_back(o.shows(signature));
            return fails;
          },
          shrink_options);
      f.shrink_runs = shrunk.runs;
      f.shrink_complete = shrunk.complete;
      Outcome last;
      const std::size_t again = reproduce(shrunk.script, signature, last, stopped);
      if (again >= options_.needed) {
        f.script = shrunk.script;
        f.reproduced = again;
        f.outcome = std::move(last);
      }
    }
    f.detail = f.outcome.detail();
    report(std::move(f));
  }

  std::optional<std::size_t> reported_index(const Signature& signature) {
    std::lock_guard lock(mutex_);
    const auto it = reported_.find(signature.key());
    if (it == reported_.end()) return std::nullopt;
    return it->second;
  }

  void dismiss(const Signature& signature) {
    std::lock_guard lock(mutex_);
    ++result_.unconfirmed[signature.key()];
  }

  std::size_t queued_count(const Signature& signature) {
    std::lock_guard lock(mutex_);
    auto it = queued_.find(signature.key());
    return it == queued_.end() ? 0 : it->second;
  }

  void report(FuzzFailure f) {
    if (options_.on_failure) options_.on_failure(f);
    std::lock_guard lock(mutex_);
    reported_[f.signature.key()] = result_.failures.size();
    result_.failures.push_back(std::move(f));
    if (options_.max_failures > 0 && result_.failures.size() >= options_.max_failures) {
      stop(CampaignResult::Stop::kMaxFailures);
    }
  }

  // A connect was refused: has the server stopped?
  void handle_refused(const Suspect& suspect) {
    report_progress("checking that the server still serves");
    if (still_serving(trial_.target()) &&
        (options_.spawned == nullptr || options_.spawned->running())) {
      return;  // a full backlog for a moment, or a connection limit: not a stop
    }
    if (const auto known = reported_index(Signature{std::string(kServerStopped), ""})) {
      // Stopped again, the way already reported: only restart it.
      {
        std::lock_guard lock(mutex_);
        ++result_.failures[*known].occurrences;
      }
      if (options_.spawned != nullptr) {
        (void)restart();
      } else {
        std::lock_guard lock(mutex_);
        stop(CampaignResult::Stop::kTargetStopped);
      }
      return;
    }
    std::vector<std::pair<std::uint64_t, std::shared_ptr<const Script>>> recent;
    {
      std::lock_guard lock(recent_mutex_);
      recent.assign(recent_.begin(), recent_.end());
    }
    if (options_.spawned == nullptr) return stopped_for_good(suspect, recent);
    find_what_stops_it(suspect, recent);
  }

  // A server the fuzzer did not start stopped: report the scripts that ran
  // last (newest first) and end the run.
  void stopped_for_good(
      const Suspect& suspect,
      const std::vector<std::pair<std::uint64_t, std::shared_ptr<const Script>>>& recent) {
    FuzzFailure f;
    f.signature = {std::string(kServerStopped), ""};
    f.script_index = recent.empty() ? suspect.index : recent.back().first;
    f.found = recent.empty() ? *suspect.script : *recent.back().second;
    f.script = f.found;
    f.outcome = suspect.outcome;
    f.outcome.target_stopped = true;
    for (auto it = recent.rbegin(); it != recent.rend() && f.suspects.size() < 16; ++it) {
      f.suspects.push_back(*it->second);
    }
    f.detail =
        "the server stopped accepting connections while these scripts ran; it was not "
        "started by the fuzzer, so it cannot be restarted to find which one (use --spawn)";
    report(std::move(f));
    std::lock_guard lock(mutex_);
    stop(CampaignResult::Stop::kTargetStopped);
  }

  // A server the fuzzer started stopped: restart it and replay the scripts
  // that ran last, newest first, each alone, until one stops it again.
  void find_what_stops_it(
      const Suspect& suspect,
      const std::vector<std::pair<std::uint64_t, std::shared_ptr<const Script>>>& recent) {
    SpawnedServer& server = *options_.spawned;
    (void)server.running();
    const std::string how = server.exit_description();
    if (!restart()) return;
    report_progress("finding the script that stops the server");
    const Signature stops{std::string(kServerStopped), ""};
    for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
      Outcome o = trial_.run({*it->second}, alone()).front();
      o.target_stopped = spawned_stopped();
      if (!o.target_stopped) continue;
      (void)server.running();
      const std::string exit = server.exit_description().empty() ? how : server.exit_description();
      if (!restart()) return;
      FuzzFailure f;
      f.signature = stops;
      f.script_index = it->first;
      f.found = *it->second;
      f.script = f.found;
      f.outcome = std::move(o);
      f.exit_description = exit;
      f.reruns = options_.reruns;
      f.reproduced = reproduce_stop(f.found);
      f.flaky = f.reproduced < options_.needed;
      if (!f.flaky) shrink_stop(f);
      f.detail = "the server stopped (" + f.exit_description + ") after this script";
      return report(std::move(f));
    }
    (void)suspect;  // no script stops it alone: a stop that needs several at once
  }

  bool restart() {
    Status restarted = options_.spawned->restart();
    if (restarted) return true;
    std::lock_guard lock(mutex_);
    stop(CampaignResult::Stop::kTargetStopped);
    return false;
  }

  // Runs of one script alone, for finding what stops a spawned server: no
  // probe (spawned_stopped() decides).
  [[nodiscard]] TrialOptions alone() const {
    TrialOptions o;
    o.detect_stops = false;
    return o;
  }

  // Whether the spawned server stopped, a moment after a script ended (a
  // server that dies of a reset dies when it next writes, not at once).
  bool spawned_stopped() {
    std::this_thread::sleep_for(settle_);
    return !options_.spawned->running() || !still_serving(trial_.target());
  }

  std::size_t reproduce_stop(const Script& script) {
    std::size_t stopped = 0;
    for (std::size_t i = 0; i < options_.reruns; ++i) {
      (void)trial_.run({script}, alone());
      if (!spawned_stopped()) continue;
      ++stopped;
      if (!restart()) return stopped;
    }
    return stopped;
  }

  void shrink_stop(FuzzFailure& f) {
    report_progress("shrinking server-stopped");
    ShrinkOptions o = options_.shrink;
    o.batch = 1;  // one at a time: the server is restarted after each stop
    o.deadline = Clock::now() + options_.shrink_time;
    const ShrinkResult shrunk = shrink(
        f.found,
        [&](const std::vector<Script>& candidates) {
          std::vector<bool> stops;
          for (const Script& c : candidates) {
            (void)trial_.run({c}, alone());
            const bool stopped = spawned_stopped();
            if (stopped) (void)restart();
            stops.push_back(stopped);
          }
          return stops;
        },
        o);
    f.shrink_runs = shrunk.runs;
    f.shrink_complete = shrunk.complete;
    const std::size_t again = reproduce_stop(shrunk.script);
    if (again >= options_.needed) {
      f.script = shrunk.script;
      f.reproduced = again;
    }
  }

  void report_progress(const std::string& activity) {
    std::unique_lock lock(mutex_);
    report_progress_locked(lock, activity);
  }

  void report_progress_locked(std::unique_lock<std::mutex>& lock, const std::string& activity) {
    if (!options_.on_progress) return;
    CampaignProgress p;
    p.elapsed = since(started_);
    p.scripts_run = scripts_run_.load();
    const milliseconds fuzzing = idle_accounted_ ? fuzzing_ : fuzzing_ + since(fuzz_started_);
    const double seconds = std::chrono::duration<double>(fuzzing).count();
    p.scripts_per_s = seconds > 0 ? static_cast<double>(p.scripts_run) / seconds : 0;
    p.failures = result_.failures.size();
    p.activity = activity;
    lock.unlock();
    options_.on_progress(p);
    lock.lock();
  }

  const CampaignOptions& options_;
  Trial trial_;
  // How long after a script a spawned server is looked at.
  milliseconds settle_ = std::max(milliseconds(50), options_.execute.mismatch_wait * 2);
  Clock::time_point started_;
  Clock::time_point fuzz_started_ = Clock::now();
  milliseconds fuzzing_{0};
  bool idle_accounted_ = false;  // paused, and the fuzzing time counted up to the pause
  std::vector<std::thread> jobs_;
  std::atomic<std::uint64_t> next_index_{0};
  std::atomic<std::uint64_t> scripts_run_{0};

  std::mutex mutex_;                      // guards everything below, and result_
  std::condition_variable wake_;          // a suspect arrived
  std::condition_variable resume_;        // jobs may go on
  std::condition_variable idle_changed_;  // a job went idle
  std::atomic<bool> stopping_{false};
  std::atomic<bool> paused_{false};
  std::size_t idle_ = 0;
  std::deque<Suspect> suspects_;
  std::map<std::string, std::size_t> queued_;    // signatures queued or being handled: later hits
  std::map<std::string, std::size_t> reported_;  // signature -> index in result_.failures
  bool refused_queued_ = false;
  CampaignResult result_;

  std::mutex recent_mutex_;
  std::deque<std::pair<std::uint64_t, std::shared_ptr<const Script>>> recent_;
};

}  // namespace

const char* to_string(CampaignResult::Stop stop) noexcept {
  switch (stop) {
    case CampaignResult::Stop::kDuration:
      return "duration";
    case CampaignResult::Stop::kMaxFailures:
      return "max-failures";
    case CampaignResult::Stop::kTargetStopped:
      return "server-stopped";
    case CampaignResult::Stop::kInterrupted:
      return "interrupted";
  }
  return "?";
}

CampaignResult run_campaign(const CampaignOptions& options) { return Campaign(options).run(); }

}  // namespace echo::conformance::explore
