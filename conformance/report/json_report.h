// The JSON report (--report json=FILE), for machines: the whole run, every
// case's evidence and figures. The schema is docs/report-schema.md.
//
// Example:
//   std::string text = render_json(report);
//   nlohmann::json::parse(text)["targets"][0]["cases"][0]["verdict"];  // "pass"
#pragma once

#include <string>
#include <vector>

#include "conformance/model/case.h"

namespace echo::conformance::report {

// The schema version written as "format_version"; bumped on any incompatible change.
inline constexpr int kJsonFormatVersion = 2;

// The report as indented JSON text (ending in a newline). Never throws on odd
// evidence: invalid UTF-8 is spelled out as \xNN (see escape.h); figures that
// are not finite are written as null.
[[nodiscard]] std::string render_json(const RunReport& report);

// The catalogue as a JSON array of case descriptions (`list --json`).
[[nodiscard]] std::string render_catalogue_json(const std::vector<CaseInfo>& cases);

}  // namespace echo::conformance::report
