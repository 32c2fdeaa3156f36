// A finding: one defect of a server, named and explained, with the cases it
// explains. The checker derives findings from its cases' observations
// (conformance/findings/diagnose.h); the live fuzzer names its failures with
// the same ids. `echo-conformance explain ID` prints what a finding means and
// how to fix it (conformance/findings/kinds.h).
//
// Example (as the terminal report prints one):
//   error[nul-cut]: data is cut at the first NUL byte
//     tcp.echo.binary sent 512 bytes starting 00 01 02; nothing came back ...
//     explains: tcp.echo.binary, tcp.echo.nul, tcp.segment.random-chunks
#pragma once

#include <string>
#include <vector>

namespace echo::conformance {

struct Finding {
  // How serious the defect is: the gravest level among the cases it explains.
  enum class Severity {
    kError,    // a required case fails because of it: not an echo server
    kWarning,  // recommended behaviour missing
    kNote,     // worth knowing, fails nothing (e.g. a slow but correct echo)
  };
  std::string id;                  // stable: "nul-cut", "line-buffered", ...
  std::string title;               // one line, specific: "data is cut at the first NUL byte"
  std::string explanation;         // from the evidence: what was sent, what came back, where it
                                   // stopped, and the likely cause in the server's code
  std::vector<std::string> cases;  // ids of the cases it explains, in catalogue order
  Severity severity = Severity::kWarning;
};

[[nodiscard]] const char* to_string(Finding::Severity severity) noexcept;  // "error", ...

}  // namespace echo::conformance
