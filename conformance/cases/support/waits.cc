#include "conformance/cases/support/waits.h"

#include <algorithm>

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

milliseconds round_trips(const CaseContext& context, int count) {
  return std::chrono::duration_cast<milliseconds>(context.round_trip * count);
}

}  // namespace

milliseconds scaled(const CaseContext& context, milliseconds base) {
  const double scale = context.timeout_scale > 0 ? context.timeout_scale : 1.0;
  return milliseconds(static_cast<milliseconds::rep>(static_cast<double>(base.count()) * scale));
}

milliseconds scaled(const CaseContext& context, milliseconds base, int trips) {
  return scaled(context, base) + round_trips(context, trips);
}

milliseconds reply_wait(const CaseContext& context) {
  return scaled(context, milliseconds(1000), 1);
}

milliseconds connect_wait(const CaseContext& context) {
  return scaled(context, milliseconds(3000), 1);
}

milliseconds stall_wait(const CaseContext& context) {
  return scaled(context, milliseconds(2000), 2);
}

milliseconds quiet_wait(const CaseContext& context) {
  return scaled(context, milliseconds(200), 1);
}

Deadline within(const CaseContext& context, milliseconds wait) {
  return Deadline::after(wait).min(context.deadline);
}

milliseconds drain_wait(const CaseContext& context) { return scaled(context, milliseconds(1000)); }

Deadline before_end(const CaseContext& context, milliseconds reserve) {
  if (context.deadline.is_never()) return context.deadline;
  const auto when = context.deadline.when() - reserve;
  return Deadline::at(std::max(when, Deadline::Clock::now()));
}

int exchanges_that_fit(const CaseContext& context, int wanted, int round_trips_each,
                       milliseconds budget, int floor) {
  const auto each = context.round_trip * round_trips_each;
  if (each.count() <= 0) return wanted;
  const auto fit = static_cast<int>(std::chrono::duration_cast<std::chrono::microseconds>(budget) /
                                    std::chrono::duration_cast<std::chrono::microseconds>(each));
  return std::clamp(fit, std::min(floor, wanted), wanted);
}

std::string ms_text(milliseconds duration) { return std::to_string(duration.count()) + " ms"; }

std::string bytes_text(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " byte" : " bytes");
}

}  // namespace echo::conformance
