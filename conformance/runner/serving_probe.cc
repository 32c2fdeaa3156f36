#include "conformance/runner/serving_probe.h"

#include <string>

#include "conformance/cases/support/conversation.h"
#include "conformance/oracle/hex.h"
#include "conformance/runner/watchdog.h"

namespace echo::conformance {

ServingModel probe_serving_model(const Endpoint& target, double timeout_scale) {
  const auto wait = scale_duration(std::chrono::milliseconds(500), timeout_scale);
  Result<Conversation> first = Conversation::open(target, Deadline::after(wait));
  if (!first) return ServingModel::kUnknown;
  Result<Conversation> second = Conversation::open(target, Deadline::after(wait));
  if (!second) return ServingModel::kUnknown;
  const std::string probe = "probe";
  StreamVerifier verifier =
      StreamVerifier::for_bytes({as_bytes(probe).begin(), as_bytes(probe).end()});
  if (!second->send(as_bytes(probe), Deadline::after(wait))) return ServingModel::kUnknown;
  ReadStop stop = second->read_into(verifier, Deadline::after(wait));
  if (stop.why == ReadStop::Why::kReached) return ServingModel::kConcurrent;
  if (stop.why != ReadStop::Why::kTimeout) return ServingModel::kUnknown;
  first->close();
  stop = second->read_into(verifier, Deadline::after(wait));
  return stop.why == ReadStop::Why::kReached ? ServingModel::kOneAtATime : ServingModel::kUnknown;
}

}  // namespace echo::conformance
