// The exit codes of echo-conformance, also printed at the end of --help.
#pragma once

namespace echo::conformance::cli {

enum ExitCode : int {
  kExitPassed = 0,          // no required case failed (warnings and measurements never fail)
  kExitRequiredFailed = 1,  // a required case failed on a checked target
  kExitUsage = 2,           // the run could not be made: bad command line, unresolvable or
                   // unreachable target, reference server did not start, report not written
};

// How a case's level decides its verdicts, printed at the end of --help.
inline constexpr const char* kVerdictsHelp =
    "Verdicts by level (echo-conformance list shows each case's level):\n"
    "  required       pass or fail; fail means the server does not echo as RFC 862 says\n"
    "  recommended    pass or warn; warn means a robustness behaviour is missing or broken\n"
    "  informational  info: a measurement, with figures; it never fails or warns\n"
    "  A correct echo that is still arriving at its deadline is a warning (slow), never a fail.\n"
    "  Any case may be skipped (skip), or not judged when the server had stopped serving or a\n"
    "  precondition failed; the reason is in its evidence, and a finding names the defect\n"
    "  (echo-conformance explain ID).";

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  no required case failed (warnings and informational results never fail a run)\n"
    "  1  a required case failed on a target you named (or, without targets, on the\n"
    "     reference server)\n"
    "  2  the run could not be made: usage error, unresolvable or unreachable target,\n"
    "     the reference server did not start, or a report could not be written";

}  // namespace echo::conformance::cli
