// select_cases(): globs on ids, include/exclude, transport filters.
#include <algorithm>

#include "conformance/cases/catalogue.h"
#include "conformance/runner/glob.h"
#include "conformance/runner/runner.h"

namespace echo::conformance {
namespace {

bool any_match(const std::vector<std::string>& globs, const std::string& id) {
  return std::any_of(globs.begin(), globs.end(),
                     [&id](const std::string& glob) { return glob_match(glob, id); });
}

bool transport_wanted(const Selection& selection, Transport transport) {
  if (selection.tcp_only && transport != Transport::kTcp) return false;
  if (selection.udp_only && transport != Transport::kUdp) return false;
  return true;
}

std::string quoted_list(const std::vector<std::string>& globs) {
  std::string out;
  for (const auto& glob : globs) out += (out.empty() ? "'" : ",'") + glob + "'";
  return out;
}

// "no case matches --cases 'foo*' (see echo-conformance list)", naming every filter in force.
Error nothing_selected(const Selection& selection) {
  std::string message = "no case matches";
  if (!selection.include.empty()) message += " --cases " + quoted_list(selection.include);
  if (!selection.exclude.empty()) message += " --exclude " + quoted_list(selection.exclude);
  if (selection.tcp_only) message += " --tcp-only";
  if (selection.udp_only) message += " --udp-only";
  return Error{message + " (see echo-conformance list)"};
}

}  // namespace

Result<std::vector<const Case*>> select_cases(const Selection& selection) {
  return select_cases(selection, catalogue());
}

Result<std::vector<const Case*>> select_cases(const Selection& selection,
                                              const std::vector<Case>& from) {
  std::vector<const Case*> picked;
  for (const Case& c : from) {
    if (!selection.include.empty() && !any_match(selection.include, c.info.id)) continue;
    if (any_match(selection.exclude, c.info.id)) continue;
    if (!transport_wanted(selection, c.info.transport)) continue;
    picked.push_back(&c);
  }
  if (picked.empty()) return nothing_selected(selection);
  return picked;
}

}  // namespace echo::conformance
