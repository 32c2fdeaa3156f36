#include "conformance/runner/watchdog.h"

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace echo::conformance {
namespace {

using Clock = std::chrono::steady_clock;

// Shared by the watchdog and the case thread; whichever finishes last frees it.
struct Slot {
  CaseContext context;
  CaseFunction function;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  Observation observation;
};

Observation broken(std::string evidence, std::string actual) {
  Observation o;
  o.kind = Observation::Kind::kShortfall;
  o.evidence = std::move(evidence);
  o.expected = "the case to finish";
  o.actual = std::move(actual);
  return o;
}

Observation call_case(const Slot& slot) {
  try {
    return slot.function(slot.context);
  } catch (const std::exception& e) {
    return broken(std::string("the case stopped with an exception: ") + e.what(), "an exception");
  } catch (...) {
    return broken("the case stopped with an unknown exception", "an exception");
  }
}

void case_thread(const std::shared_ptr<Slot>& slot) {
  Observation observation = call_case(*slot);
  std::lock_guard lock(slot->mutex);
  slot->observation = std::move(observation);
  slot->done = true;
  slot->finished.notify_all();
}

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

Observation overrun(std::chrono::milliseconds budget, std::chrono::milliseconds grace,
                    std::chrono::milliseconds elapsed) {
  Observation o = broken("case exceeded its deadline: still running " +
                             std::to_string(elapsed.count()) + " ms after it started, past its " +
                             "deadline of " + std::to_string(budget.count()) +
                             " ms and a grace of " + std::to_string(grace.count()) +
                             " ms; it was abandoned (its own I/O deadlines end it)",
                         "still running after " + std::to_string(elapsed.count()) + " ms");
  o.expected = "done within " + std::to_string(budget.count()) + " ms";
  return o;
}

}  // namespace

std::chrono::milliseconds scale_duration(std::chrono::milliseconds duration, double scale) {
  const auto scaled = static_cast<std::chrono::milliseconds::rep>(
      static_cast<double>(duration.count()) * (scale > 0 ? scale : 1.0));
  return std::chrono::milliseconds(scaled < 1 ? 1 : scaled);
}

std::chrono::milliseconds case_budget(const CaseInfo& info, double scale,
                                      std::chrono::microseconds round_trip) {
  return scale_duration(info.deadline, scale) +
         std::chrono::duration_cast<std::chrono::milliseconds>(round_trip * info.round_trips);
}

CaseResult run_guarded(const Case& c, const CaseContext& context, std::chrono::milliseconds grace) {
  CaseResult result;
  result.info = c.info;
  const auto start = Clock::now();
  auto finish = [&](Observation observation) {
    result.observation = std::move(observation);
    result.verdict = grade(c.info.level, result.observation.kind);
    result.duration = since(start);
    return result;
  };
  if (!c.run) return finish(broken("the case has no function", "none"));
  const auto budget = case_budget(c.info, context.timeout_scale, context.round_trip);
  result.budget = budget;
  auto slot = std::make_shared<Slot>();
  slot->context = context;
  slot->context.deadline = Deadline::after(budget);
  slot->context.case_id = c.info.id;
  slot->function = c.run;
  std::thread worker([slot] { case_thread(slot); });

  std::unique_lock lock(slot->mutex);
  const bool finished =
      slot->finished.wait_until(lock, start + budget + grace, [&slot] { return slot->done; });
  if (!finished) {
    lock.unlock();
    worker.detach();
    return finish(overrun(budget, grace, since(start)));
  }
  Observation observation = std::move(slot->observation);
  lock.unlock();
  worker.join();
  return finish(std::move(observation));
}

}  // namespace echo::conformance
