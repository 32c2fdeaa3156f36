// ExitReason: how a run of echo-client ended, as an exit code and the one line
// printed on standard error ("echo-client: <message>"). Every mode returns one.
//
// Example:
//   Result<std::size_t> n = read_some(fd, buffer, deadline);
//   if (!n) return failure_from(n.error(), "waiting for the echo");
//   // a timed-out read becomes ExitCode::kTimeout, a reset kClosedEarly
#pragma once

#include <string>
#include <system_error>

#include "core/util/result.h"
#include "reference/client/exit_codes.h"

namespace echo::client {

struct ExitReason {
  ExitCode code = ExitCode::kOk;
  std::string message;  // empty when code is kOk

  [[nodiscard]] bool ok() const noexcept { return code == ExitCode::kOk; }
};

[[nodiscard]] inline ExitReason success() { return ExitReason{}; }
[[nodiscard]] inline ExitReason failure(ExitCode code, std::string message) {
  return ExitReason{code, std::move(message)};
}

// The exit code for a system error met while talking to the server:
// refused/unreachable -> kUnreachable, timed out -> kTimeout, reset, broken
// pipe or aborted -> kClosedEarly, anything else -> kLocalError.
[[nodiscard]] ExitCode exit_code_for(std::error_code code) noexcept;

// An ExitReason for `error`, its message prefixed by what was being done.
[[nodiscard]] ExitReason failure_from(const Error& error, const std::string& doing);

}  // namespace echo::client
