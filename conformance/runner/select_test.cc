#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "conformance/cases/catalogue.h"
#include "conformance/runner/glob.h"
#include "conformance/runner/runner.h"

namespace echo::conformance {
namespace {

Selection make(std::vector<std::string> include, std::vector<std::string> exclude = {},
               bool tcp_only = false, bool udp_only = false) {
  Selection s;
  s.include = std::move(include);
  s.exclude = std::move(exclude);
  s.tcp_only = tcp_only;
  s.udp_only = udp_only;
  return s;
}

std::vector<std::string> ids(const std::vector<const Case*>& cases) {
  std::vector<std::string> out;
  for (const Case* c : cases) out.push_back(c->info.id);
  return out;
}

TEST(GlobMatch, StarMatchesAnyRunIncludingDots) {
  EXPECT_TRUE(glob_match("tcp.*", "tcp.echo.text"));
  EXPECT_TRUE(glob_match("*.text", "tcp.echo.text"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("t*p.*.t*t", "tcp.echo.text"));
  EXPECT_FALSE(glob_match("udp.*", "tcp.echo.text"));
  EXPECT_FALSE(glob_match("tcp.echo", "tcp.echo.text")) << "no implicit trailing star";
}

TEST(GlobMatch, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(glob_match("udp.size.????", "udp.size.1472"));
  EXPECT_FALSE(glob_match("udp.size.????", "udp.size.65507"));
  EXPECT_FALSE(glob_match("?", ""));
}

TEST(Catalogue, IdsAreUniqueAndEveryCaseIsDescribed) {
  std::set<std::string> seen;
  for (const Case& c : catalogue()) {
    EXPECT_TRUE(seen.insert(c.info.id).second) << "duplicate id " << c.info.id;
    EXPECT_FALSE(c.info.title.empty()) << c.info.id;
    EXPECT_FALSE(c.info.requirement.empty()) << c.info.id;
    EXPECT_FALSE(c.info.source.empty()) << c.info.id;
    EXPECT_NE(c.run, nullptr) << c.info.id;
    EXPECT_EQ(c.info.id.rfind(c.info.transport == Transport::kTcp ? "tcp." : "udp.", 0), 0u)
        << c.info.id << " is named after its transport";
  }
  EXPECT_GE(catalogue().size(), 25u);
}

TEST(Catalogue, OnlyEchoContentCasesAreRequired) {
  for (const Case& c : catalogue()) {
    if (c.info.level != Level::kRequired) continue;
    EXPECT_NE(c.info.source.find("RFC 862"), std::string::npos) << c.info.id;
    EXPECT_EQ(c.info.source.find("beyond"), std::string::npos) << c.info.id;
  }
}

std::vector<const Case*> default_cases() {
  std::vector<const Case*> out;
  for (const Case& c : catalogue()) {
    if (!c.info.opt_in) out.push_back(&c);
  }
  return out;
}

TEST(SelectCases, EmptySelectionPicksTheCatalogueButTheOptInCasesInOrder) {
  auto picked = select_cases({});
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(*picked, default_cases());
  EXPECT_LT(picked->size(), catalogue().size()) << "tcp.limits.connections is opt-in";
}

TEST(SelectCases, IncludeGlobsPickMatchingIdsInCatalogueOrder) {
  auto picked = select_cases(make({"tcp.echo.binary", "tcp.echo.te*"}));
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(ids(*picked), (std::vector<std::string>{"tcp.echo.text", "tcp.echo.binary"}));
}

TEST(SelectCases, ExcludeWinsOverInclude) {
  auto picked = select_cases(make({"tcp.echo.*"}, {"*.binary"}));
  ASSERT_TRUE(picked.ok());
  for (const auto& id : ids(*picked)) EXPECT_NE(id, "tcp.echo.binary");
  EXPECT_FALSE(picked->empty());
}

TEST(SelectCases, TransportFiltersKeepOnlyThatTransport) {
  auto tcp = select_cases(make({}, {}, true));
  auto udp = select_cases(make({}, {}, false, true));
  ASSERT_TRUE(tcp.ok() && udp.ok());
  for (const Case* c : *tcp) EXPECT_EQ(c->info.transport, Transport::kTcp) << c->info.id;
  for (const Case* c : *udp) EXPECT_EQ(c->info.transport, Transport::kUdp) << c->info.id;
  EXPECT_EQ(tcp->size() + udp->size(), default_cases().size());
}

TEST(SelectCases, NothingSelectedIsAnErrorNamingTheGlobs) {
  auto picked = select_cases(make({"foo*"}));
  ASSERT_FALSE(picked.ok());
  EXPECT_EQ(picked.error().message, "no case matches --cases 'foo*' (see echo-conformance list)");
}

TEST(SelectCases, TransportFilterThatEmptiesTheSelectionIsAnError) {
  auto picked = select_cases(make({"udp.*"}, {}, true));
  ASSERT_FALSE(picked.ok());
  EXPECT_EQ(picked.error().message,
            "no case matches --cases 'udp.*' --tcp-only (see echo-conformance list)");
}

// --- opt-in cases ---------------------------------------------------------------

// Two groups of one case each; "tcp.limits.many" is opt-in.
const std::vector<Case>& two_cases() {
  static const std::vector<Case> cases = [] {
    Case plain{{"tcp.echo.text", "t", "r", "s"}, [](const CaseContext&) { return Observation{}; }};
    Case stress = plain;
    stress.info.id = "tcp.limits.many";
    stress.info.opt_in = true;
    return std::vector<Case>{plain, stress};
  }();
  return cases;
}

std::vector<std::string> picked_from_two(Selection selection) {
  auto picked = select_cases(selection, two_cases());
  return picked.ok() ? ids(*picked) : std::vector<std::string>{picked.error().message};
}

TEST(SelectCases, TheCataloguesStressCaseIsOptIn) {
  auto all = select_cases(make({"*"}));
  ASSERT_TRUE(all.ok());
  for (const std::string& id : ids(*all)) EXPECT_NE(id, "tcp.limits.connections");
  auto named = select_cases(make({"tcp.limits.connections"}));
  ASSERT_TRUE(named.ok()) << named.error().message;
  EXPECT_EQ(ids(*named), std::vector<std::string>{"tcp.limits.connections"});
}

TEST(SelectCases, StressAddsTheOptInCases) {
  Selection selection;
  EXPECT_EQ(picked_from_two(selection), std::vector<std::string>{"tcp.echo.text"});
  selection.stress = true;
  EXPECT_EQ(picked_from_two(selection),
            (std::vector<std::string>{"tcp.echo.text", "tcp.limits.many"}));
}

TEST(SelectCases, AGlobThatNamesTheGroupPicksAnOptInCase) {
  for (const char* glob : {"tcp.limits.many", "tcp.limits.*", "tcp.limits*", "tcp.limits.m?ny"}) {
    EXPECT_EQ(picked_from_two(make({glob})), std::vector<std::string>{"tcp.limits.many"}) << glob;
  }
}

TEST(SelectCases, AWildcardBeforeTheGroupDoesNotPickAnOptInCase) {
  for (const char* glob : {"*", "tcp.*", "tcp.l*", "*.many", "*limits*"}) {
    const std::vector<std::string> picked = picked_from_two(make({glob}));
    EXPECT_EQ(std::count(picked.begin(), picked.end(), "tcp.limits.many"), 0) << glob;
  }
}

TEST(SelectCases, ExcludeAndTransportFiltersStillApplyToOptInCases) {
  Selection selection = make({"tcp.limits.*"}, {"*.many"});
  EXPECT_EQ(picked_from_two(selection).front().rfind("no case matches", 0), 0u);
  selection = make({"tcp.limits.*"}, {}, false, true);
  selection.stress = true;
  EXPECT_EQ(picked_from_two(selection).front().rfind("no case matches", 0), 0u);
}

TEST(SelectCases, NothingSelectedSaysWhichOptInCaseTheGlobsLeftOut) {
  EXPECT_EQ(picked_from_two(make({"*.many"})),
            std::vector<std::string>{
                "no case matches --cases '*.many' (see echo-conformance list); tcp.limits.many "
                "is opt-in: name it with --cases tcp.limits.many, or add --stress"});
}

}  // namespace
}  // namespace echo::conformance
