// The defects the checker can name: one FindingKind per defect class, with a
// stable id, what it looks like, its likely cause in a server's code and how
// to fix it. `echo-conformance explain ID` prints one; findings
// (model/finding.h) carry the id. One list, in kinds.cc.
//
// Example:
//   if (const FindingKind* kind = find_kind("nul-cut")) std::cout << explain_text(*kind);
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace echo::conformance {

struct FindingKind {
  std::string_view id;       // "nul-cut"
  std::string_view title;    // "data is cut at the first NUL byte"
  std::string_view meaning;  // how it shows in an echo
  std::string_view cause;    // what in a server's code usually does it
  std::string_view fix;      // how to fix it
};

// Every kind, in the order `explain --list` prints them.
[[nodiscard]] std::span<const FindingKind> finding_kinds() noexcept;

// The kind with this id, or nullptr.
[[nodiscard]] const FindingKind* find_kind(std::string_view id) noexcept;

// The page `echo-conformance explain ID` prints: title, meaning, cause, fix.
[[nodiscard]] std::string explain_text(const FindingKind& kind);

}  // namespace echo::conformance
