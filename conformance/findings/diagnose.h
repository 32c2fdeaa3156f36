// diagnose(): the findings of one target, derived from its cases' observations
// and what the runner saw of its serving (model/case.h), and the diagnosis of
// each case a finding explains. One defect, one finding, whatever the number of
// cases it breaks: a server that echoes whole lines only fails eight cases and
// gets one finding, "only whole lines are echoed", that names all eight.
//
// The rules run in order, most basic first (the server stopped; nothing is
// echoed at all; then what is wrong with the bytes; then how clients are
// served; then UDP), and a case explained by one rule is not claimed by a
// later one. Each rule checks its pattern against controls (a NUL cut is only
// called one when echoes without a NUL work), so a finding names the cause,
// not the first symptom. Sans-I/O: it reads a TargetReport and writes to it.
//
// Example:
//   TargetReport report = ...;   // cases run
//   diagnose(report);
//   // report.findings[0].id == "line-buffered"; report.cases[i].diagnosis == "line-buffered"
#pragma once

#include "conformance/model/case.h"

namespace echo::conformance {

// Replaces report.findings and every case's diagnosis.
void diagnose(TargetReport& report);

}  // namespace echo::conformance
