#include "reference/server/guard/refusal.h"

namespace echo::server {

std::string_view describe(Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::kNone:
      return "answered";
    case Refusal::kOwnPort:
      return "source port is one this server listens on";
    case Refusal::kServicePort:
      return "source port belongs to a service that answers anything";
    case Refusal::kPortZero:
      return "source port 0";
    case Refusal::kNotUnicast:
      return "broadcast, multicast or unspecified address";
    case Refusal::kReturnedEcho:
      return "our own replies keep coming back: a loop";
    case Refusal::kRateLimited:
      return "over the source address's rate limit";
  }
  return "refused";
}

}  // namespace echo::server
