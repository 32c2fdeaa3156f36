// Numbers and times as the reports and progress lines show them to people.
//
// Example:
//   with_commas(70221);               // "70,221"
//   utc_iso8601(0);                   // "1970-01-01T00:00:00Z"
//   report.started_at = utc_now_iso8601();
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace echo {

// The decimal digits grouped in threes: "1,234,567".
[[nodiscard]] std::string with_commas(std::uint64_t n);

// "YYYY-MM-DDTHH:MM:SSZ" (ISO 8601, UTC).
[[nodiscard]] std::string utc_iso8601(std::time_t when);
[[nodiscard]] std::string utc_now_iso8601();

}  // namespace echo
