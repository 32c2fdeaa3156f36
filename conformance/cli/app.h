// The command line of echo-conformance (CLI11): the default run against our
// reference server, `check TARGET...` and `list`. Usage errors print one line
// and give exit code 2 (exit_codes.h), never CLI11's own codes.
#pragma once

#include <ostream>

namespace echo::conformance::cli {

// Parses argv and runs the command. Returns the process exit code.
[[nodiscard]] int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace echo::conformance::cli
