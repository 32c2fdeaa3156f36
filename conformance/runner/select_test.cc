#include <gtest/gtest.h>

#include <set>

#include "conformance/runner/glob.h"
#include "conformance/cases/catalogue.h"
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

TEST(SelectCases, EmptySelectionPicksTheWholeCatalogueInOrder) {
  auto picked = select_cases({});
  ASSERT_TRUE(picked.ok());
  ASSERT_EQ(picked->size(), catalogue().size());
  for (std::size_t i = 0; i < picked->size(); ++i) EXPECT_EQ((*picked)[i], &catalogue()[i]);
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
  EXPECT_EQ(tcp->size() + udp->size(), catalogue().size());
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

}  // namespace
}  // namespace echo::conformance
