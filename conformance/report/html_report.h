// The HTML report (--report html=FILE): one self-contained page in the manner
// of Autobahn|Testsuite's matrix. Rows are cases, columns are targets; each
// cell shows the verdict colour and expands (<details>) to the evidence,
// expected/actual and figures. When a target is the reference
// (TargetReport::is_reference), rows where another target's verdict differs
// from the reference's are highlighted (class "differs"). The header shows
// the seed, the start time, the timeout scale and a legend.
//
// Everything is inline (CSS, a few lines of JS); a Content-Security-Policy
// forbids any network request, so the file can be opened anywhere offline.
//
// Example:
//   write_file_atomically("report.html", render_html(report));
#pragma once

#include <string>

#include "conformance/model/case.h"

namespace echo::conformance::report {

// Every text from the run is escaped (escape.h: markup_text), so evidence
// like "<script>" shows as text and never runs.
[[nodiscard]] std::string render_html(const RunReport& report);

}  // namespace echo::conformance::report
