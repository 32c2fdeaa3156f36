// Writing a file all or nothing: the text goes to a temporary file next to
// the target, which is then renamed over it, so an interrupted run never
// leaves half a report (or chart, or saved script) behind.
//
// Example:
//   if (Status written = write_file_atomically("report.json", json); !written) {
//     std::cerr << written.error().message << '\n';  // "cannot write 'report.json': Permission
//     denied"
//   }
#pragma once

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace echo {

// An error names the file and the system's reason
// ("cannot write 'out/r.json': No such file or directory").
[[nodiscard]] Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace echo
