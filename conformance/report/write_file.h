// Writing a report to a file, all or nothing: the text goes to a temporary
// file next to the target, which is then renamed over it, so an interrupted
// run never leaves half a report behind.
#pragma once

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace echo::conformance::report {

// An error names the file and the system's reason
// ("cannot write report 'out/r.json': No such file or directory").
[[nodiscard]] Status write_report_file(const std::string& path, std::string_view content);

}  // namespace echo::conformance::report
