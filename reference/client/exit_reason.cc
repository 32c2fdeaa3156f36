#include "reference/client/exit_reason.h"

#include <cerrno>

namespace echo::client {

ExitCode exit_code_for(std::error_code code) noexcept {
  if (code.category() != std::generic_category() && code.category() != std::system_category()) {
    return ExitCode::kLocalError;
  }
  switch (code.value()) {
    case ECONNREFUSED:
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
    case EADDRNOTAVAIL:
      return ExitCode::kUnreachable;
    case ETIMEDOUT:
      return ExitCode::kTimeout;
    case ECONNRESET:
    case ECONNABORTED:
    case EPIPE:
      return ExitCode::kClosedEarly;
    default:
      return ExitCode::kLocalError;
  }
}

ExitReason failure_from(const Error& error, const std::string& doing) {
  return failure(exit_code_for(error.code), doing + ": " + error.message);
}

}  // namespace echo::client
