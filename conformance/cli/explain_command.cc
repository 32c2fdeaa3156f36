#include "conformance/cli/explain_command.h"

#include <algorithm>

#include "conformance/cli/exit_codes.h"
#include "conformance/findings/kinds.h"

namespace echo::conformance::cli {

int run_explain(const std::string& id, bool list, std::ostream& out, std::ostream& err) {
  if (list || id.empty()) {
    std::size_t width = 0;
    for (const FindingKind& kind : finding_kinds()) width = std::max(width, kind.id.size());
    for (const FindingKind& kind : finding_kinds()) {
      out << kind.id << std::string(width - kind.id.size() + 2, ' ') << kind.title << '\n';
    }
    return kExitPassed;
  }
  const FindingKind* kind = find_kind(id);
  if (kind == nullptr) {
    err << "echo-conformance: no finding '" << id
        << "' (echo-conformance explain --list shows them all)\n";
    return kExitUsage;
  }
  out << explain_text(*kind);
  return kExitPassed;
}

}  // namespace echo::conformance::cli
