// `echo-conformance explain ID`: what a finding means, its likely cause in a
// server's code and how to fix it; `explain --list` lists every finding id.
#pragma once

#include <ostream>
#include <string>

namespace echo::conformance::cli {

// Returns an ExitCode: 0, or 2 for an unknown id (the error lists the ids).
[[nodiscard]] int run_explain(const std::string& id, bool list, std::ostream& out,
                              std::ostream& err);

}  // namespace echo::conformance::cli
