// `echo-conformance list`: the catalogue as aligned columns (ID, LEVEL,
// TRANSPORT, SOURCE, REQUIREMENT; the requirement last because it is the
// longest), or as JSON with --json. The selection options narrow it.
#pragma once

#include <ostream>

#include "conformance/runner/runner.h"

namespace echo::conformance::cli {

// Returns an ExitCode: 0, or 2 when the selection matches no case.
[[nodiscard]] int run_list(const Selection& selection, bool json, std::ostream& out,
                           std::ostream& err);

}  // namespace echo::conformance::cli
