// select_cases(): globs on ids, include/exclude, transport filters, opt-in cases.
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

// Whether `glob` names the group of case `id` before its first wildcard:
// "tcp.limits.*" and "tcp.limits.connections" name tcp.limits.connections's
// group, "tcp.*" and "*" do not.
bool names_group(const std::string& glob, const std::string& id) {
  const std::string group = id.substr(0, id.rfind('.'));
  const std::string literal = glob.substr(0, glob.find_first_of("*?"));
  return literal.size() >= group.size() && glob_match(glob, id);
}

bool opt_in_wanted(const Selection& selection, const std::string& id) {
  return selection.stress ||
         std::any_of(selection.include.begin(), selection.include.end(),
                     [&id](const std::string& glob) { return names_group(glob, id); });
}

std::string quoted_list(const std::vector<std::string>& globs) {
  std::string out;
  for (const auto& glob : globs) out += (out.empty() ? "'" : ",'") + glob + "'";
  return out;
}

// "no case matches --cases 'foo*' (see echo-conformance list)", naming every
// filter in force, and the opt-in cases the globs matched but did not name.
Error nothing_selected(const Selection& selection, const std::vector<std::string>& left_out) {
  std::string message = "no case matches";
  if (!selection.include.empty()) message += " --cases " + quoted_list(selection.include);
  if (!selection.exclude.empty()) message += " --exclude " + quoted_list(selection.exclude);
  if (selection.tcp_only) message += " --tcp-only";
  if (selection.udp_only) message += " --udp-only";
  message += " (see echo-conformance list)";
  for (const std::string& id : left_out) {
    message.append("; ")
        .append(id)
        .append(" is opt-in: name it with --cases ")
        .append(id)
        .append(", or add --stress");
  }
  return Error{message};
}

}  // namespace

Result<std::vector<const Case*>> select_cases(const Selection& selection) {
  return select_cases(selection, catalogue());
}

Result<std::vector<const Case*>> select_cases(const Selection& selection,
                                              const std::vector<Case>& from) {
  std::vector<const Case*> picked;
  std::vector<std::string> left_out;  // opt-in cases matched but not asked for
  for (const Case& c : from) {
    if (!selection.include.empty() && !any_match(selection.include, c.info.id)) continue;
    if (any_match(selection.exclude, c.info.id)) continue;
    if (!transport_wanted(selection, c.info.transport)) continue;
    if (c.info.opt_in && !opt_in_wanted(selection, c.info.id)) {
      if (!selection.include.empty()) left_out.push_back(c.info.id);
      continue;
    }
    picked.push_back(&c);
  }
  if (picked.empty()) return nothing_selected(selection, left_out);
  return picked;
}

}  // namespace echo::conformance
