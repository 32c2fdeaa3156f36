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
  CaseFunction function = nullptr;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  Outcome outcome;
};

Outcome failure(std::string evidence, std::string expected, std::string actual) {
  Outcome o;
  o.verdict = Verdict::kFail;
  o.evidence = std::move(evidence);
  o.expected = std::move(expected);
  o.actual = std::move(actual);
  return o;
}

Outcome call_case(const Slot& slot) {
  try {
    return slot.function(slot.context);
  } catch (const std::exception& e) {
    return failure(std::string("the case stopped with an exception: ") + e.what(),
                   "the case to finish", "an exception");
  } catch (...) {
    return failure("the case stopped with an unknown exception", "the case to finish",
                   "an exception");
  }
}

void case_thread(const std::shared_ptr<Slot>& slot) {
  Outcome outcome = call_case(*slot);
  std::lock_guard lock(slot->mutex);
  slot->outcome = std::move(outcome);
  slot->done = true;
  slot->finished.notify_all();
}

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

Outcome overrun(std::chrono::milliseconds budget, std::chrono::milliseconds grace,
                std::chrono::milliseconds elapsed) {
  return failure("case exceeded its deadline: still running " + std::to_string(elapsed.count()) +
                     " ms after it started, past its deadline of " +
                     std::to_string(budget.count()) + " ms and a grace of " +
                     std::to_string(grace.count()) +
                     " ms; it was abandoned (its own I/O deadlines end it)",
                 "done within " + std::to_string(budget.count()) + " ms",
                 "still running after " + std::to_string(elapsed.count()) + " ms");
}

}  // namespace

std::chrono::milliseconds scale_duration(std::chrono::milliseconds duration, double scale) {
  const auto scaled = static_cast<std::chrono::milliseconds::rep>(
      static_cast<double>(duration.count()) * (scale > 0 ? scale : 1.0));
  return std::chrono::milliseconds(scaled < 1 ? 1 : scaled);
}

CaseResult run_guarded(const Case& c, const CaseContext& context, std::chrono::milliseconds grace) {
  CaseResult result;
  result.info = c.info;
  const auto start = Clock::now();
  if (c.run == nullptr) {
    result.outcome = failure("the case has no function", "a runnable case", "none");
    result.outcome.verdict = graded(c.info.level, result.outcome.verdict);
    return result;
  }
  const auto budget = scale_duration(c.info.deadline, context.timeout_scale);
  auto slot = std::make_shared<Slot>();
  slot->context = context;
  slot->context.deadline = Deadline::after(budget);
  slot->context.case_id = c.info.id;
  slot->function = c.run;
  std::thread worker([slot] { case_thread(slot); });

  std::unique_lock lock(slot->mutex);
  const bool finished =
      slot->finished.wait_until(lock, start + budget + grace, [&slot] { return slot->done; });
  if (finished) {
    result.outcome = std::move(slot->outcome);
    lock.unlock();
    worker.join();
  } else {
    lock.unlock();
    worker.detach();
    result.outcome = overrun(budget, grace, since(start));
  }
  result.outcome.verdict = graded(c.info.level, result.outcome.verdict);
  result.duration = since(start);
  return result;
}

}  // namespace echo::conformance
