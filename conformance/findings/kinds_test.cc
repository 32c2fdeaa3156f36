#include "conformance/findings/kinds.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace echo::conformance {
namespace {

TEST(FindingKinds, IdsAreUniqueLowerCaseAndEveryFieldIsWritten) {
  std::set<std::string_view> ids;
  for (const FindingKind& kind : finding_kinds()) {
    EXPECT_TRUE(ids.insert(kind.id).second) << "duplicate id " << kind.id;
    for (char c : kind.id) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '-') << kind.id;
    EXPECT_FALSE(kind.title.empty()) << kind.id;
    EXPECT_FALSE(kind.meaning.empty()) << kind.id;
    EXPECT_FALSE(kind.cause.empty()) << kind.id;
    EXPECT_FALSE(kind.fix.empty()) << kind.id;
  }
  EXPECT_GE(ids.size(), 30u);
}

TEST(FindingKinds, FindsByIdAndExplains) {
  const FindingKind* kind = find_kind("nul-cut");
  ASSERT_NE(kind, nullptr);
  const std::string text = explain_text(*kind);
  EXPECT_NE(text.find("nul-cut: data is cut at the first NUL byte"), std::string::npos) << text;
  EXPECT_NE(text.find("strlen"), std::string::npos) << text;
  EXPECT_NE(text.find("How to fix it"), std::string::npos) << text;
  EXPECT_EQ(find_kind("no-such-thing"), nullptr);
}

}  // namespace
}  // namespace echo::conformance
