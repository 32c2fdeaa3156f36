// The JUnit XML report (--report junit=FILE), for CI systems.
//
// One <testsuite> per target (name = target name), one <testcase> per case
// (classname = target name, name = case id, time in seconds). Verdicts map as:
//   fail -> <failure message="first evidence line" type="required|recommended">
//           with "Expected: ...\nActual: ...\n" and the evidence as its text
//   warn -> passed, with "warning: <evidence>" in <system-out> (a missing
//           recommendation is not a CI failure; the exit code agrees)
//   info -> passed, with the figures in <system-out>
//   skip -> <skipped message="why">
// The seed, address and timeout scale are <properties> of each suite.
//
// Example:
//   write_file_atomically("results.xml", render_junit(report));
#pragma once

#include <string>

#include "conformance/model/case.h"

namespace echo::conformance::report {

// Well-formed XML 1.0 (UTF-8): markup characters escaped, control characters
// and invalid UTF-8 spelled out as \xNN (see escape.h).
[[nodiscard]] std::string render_junit(const RunReport& report);

}  // namespace echo::conformance::report
