// The terminal report: what `echo-conformance` prints. Per target, its
// findings first (like a compiler's diagnostics: "error[nul-cut]: data is cut
// at the first NUL byte", the evidence and likely cause, the cases it
// explains), then one line per case (verdict, id, title, duration, and the
// finding that explains it) with a short evidence line under each non-pass,
// then a summary per target, the seed and the replay command.
// Everything from the server is made printable first (escape.h), so a hostile
// echo cannot send escape sequences to the user's terminal.
//
// Example:
//   TerminalOptions options;
//   options.color = color_wanted(isatty(1), std::getenv("NO_COLOR"));
//   options.replay_command = "echo-conformance check 127.0.0.1:7 --seed 42";
//   std::cout << render_terminal(report, options);
#pragma once

#include <cstddef>
#include <string>

#include "conformance/model/case.h"

namespace echo::conformance::report {

struct TerminalOptions {
  bool color = false;          // ANSI colours for the verdicts
  bool problems_only = false;  // --quiet: no lines for passed and informational cases
  std::string replay_command;  // printed last; empty prints none
};

// Colour only on a terminal, and never when NO_COLOR is set to a non-empty
// value (https://no-color.org). `no_color` is getenv("NO_COLOR").
[[nodiscard]] bool color_wanted(bool stdout_is_terminal, const char* no_color) noexcept;

// One finding: "  error[nul-cut]: data is cut at the first NUL byte", its
// explanation wrapped to `width` columns, the cases it explains and where to
// read more.
[[nodiscard]] std::string render_finding(const Finding& finding, bool color,
                                         std::size_t width = 100);

// One case: "  FAIL  tcp.echo.binary   Echoes binary data   12 ms", and for a
// non-pass an indented line with the first line of evidence (and
// expected/actual when given). Columns are padded to the given widths.
[[nodiscard]] std::string render_case(const CaseResult& result, std::size_t id_width,
                                      std::size_t title_width, bool color);

// "reference (127.0.0.1:41234): 10 pass, 1 fail (1 required), 0 warn, 2 info, 0 skip, 0 not
// judged; 2 findings"
[[nodiscard]] std::string render_target_summary(const TargetReport& target, bool color);

// The whole report: a block of case lines per target, then the summaries,
// the seed and the replay command.
[[nodiscard]] std::string render_terminal(const RunReport& report, const TerminalOptions& options);

// One progress line (no line break): "[ 12/40] reference  tcp.echo.binary  pass".
[[nodiscard]] std::string render_progress(std::size_t done, std::size_t total,
                                          const std::string& target, const CaseResult& result);

}  // namespace echo::conformance::report
