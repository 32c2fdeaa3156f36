#include "conformance/report/json_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "conformance/report/testing/sample_report.h"

namespace echo::conformance::report {
namespace {

using nlohmann::json;
using testing::sample_report;

TEST(RenderJson, ParsesBackWithRunFields) {
  const json doc = json::parse(render_json(sample_report()));
  EXPECT_EQ(doc["format"], "echo-conformance-report");
  EXPECT_EQ(doc["format_version"], kJsonFormatVersion);
  EXPECT_EQ(doc["seed"].get<std::uint64_t>(), 12345678901234ULL);
  EXPECT_EQ(doc["started_at"], "2024-05-01T12:00:00Z");
  EXPECT_DOUBLE_EQ(doc["timeout_scale"].get<double>(), 1.5);
  ASSERT_EQ(doc["targets"].size(), 2u);
}

TEST(RenderJson, DescribesTargetsWithSummaryAndNotes) {
  const json doc = json::parse(render_json(sample_report()));
  const json& mine = doc["targets"][1];
  EXPECT_EQ(mine["target"], "mine");
  EXPECT_EQ(mine["address"], "192.0.2.7:7");
  EXPECT_EQ(mine["reference"], false);
  EXPECT_EQ(doc["targets"][0]["reference"], true);
  EXPECT_EQ(mine["summary"]["required_failures"], 1);
  EXPECT_EQ(mine["summary"]["skip"], 1);
  EXPECT_EQ(mine["notes"][0], "served one client at a time");
  EXPECT_EQ(mine["summary"]["not_judged"], 1);
  EXPECT_EQ(mine["cases"].size(), 6u);
}

TEST(RenderJson, GivesFindingsAndTheDiagnosisOfEachCaseTheyExplain) {
  const json doc = json::parse(render_json(sample_report()));
  const json& mine = doc["targets"][1];
  ASSERT_EQ(mine["findings"].size(), 1u);
  const json& finding = mine["findings"][0];
  EXPECT_EQ(finding["id"], "nul-cut");
  EXPECT_EQ(finding["severity"], "error");
  EXPECT_EQ(finding["title"], "data is cut at the first NUL byte <i>");
  EXPECT_NE(finding["explanation"].get<std::string>().find("byte 0"), std::string::npos);
  EXPECT_EQ(finding["cases"], json::array({"tcp.echo.binary"}));
  EXPECT_EQ(mine["cases"][0]["diagnosis"], "nul-cut");
  EXPECT_FALSE(mine["cases"][1].contains("diagnosis")) << "only explained cases carry one";
  EXPECT_EQ(mine["cases"][5]["verdict"], "not-judged");
  EXPECT_TRUE(doc["targets"][0]["findings"].empty());
  EXPECT_TRUE(mine["serving"].is_object());
  EXPECT_EQ(mine["serving"]["one_client_at_a_time"], false);
}

TEST(RenderJson, GivesEveryCaseFieldOfTheSchema) {
  const json doc = json::parse(render_json(sample_report()));
  const json& failed = doc["targets"][1]["cases"][0];
  EXPECT_EQ(failed["id"], "tcp.echo.binary");
  EXPECT_EQ(failed["title"], "Title of tcp.echo.binary");
  EXPECT_EQ(failed["level"], "required");
  EXPECT_EQ(failed["source"], "RFC 862");
  EXPECT_EQ(failed["transport"], "tcp");
  EXPECT_EQ(failed["verdict"], "fail");
  EXPECT_EQ(failed["duration_ms"], 5);
  EXPECT_EQ(failed["budget_ms"], 1000);
  EXPECT_EQ(failed["expected"], "256 bytes echoed");
  EXPECT_EQ(failed["actual"], "12 bytes <b>");
  EXPECT_TRUE(failed["figures"].is_array());
  const json& info = doc["targets"][0]["cases"][4];
  EXPECT_EQ(info["verdict"], "info");
  EXPECT_EQ(info["figures"][0]["name"], "rtt_p50");
  EXPECT_DOUBLE_EQ(info["figures"][0]["value"].get<double>(), 41.5);
  EXPECT_EQ(info["figures"][0]["unit"], "us");
}

TEST(RenderJson, KeepsControlsAndSpellsOutInvalidUtf8InEvidence) {
  const json doc = json::parse(render_json(sample_report()));
  const std::string evidence = doc["targets"][1]["cases"][0]["evidence"];
  EXPECT_EQ(evidence, "got <script>alert(\"x\")</script> & 'more'\\xff\x01\x1b[2J\nsecond line");
}

TEST(RenderJson, NeverThrowsOnArbitraryBytesAnywhere) {
  RunReport report = sample_report();
  report.targets[1].name = "\xc3\x28";
  report.targets[1].cases[0].info.title = "\xe2\x28\xa1";
  report.targets[1].cases[0].observation.actual = std::string("\0\xfe\xff", 3);
  const json doc = json::parse(render_json(report));
  EXPECT_EQ(doc["targets"][1]["target"], "\\xc3(");
  EXPECT_EQ(doc["targets"][1]["cases"][0]["actual"], std::string("\0\\xfe\\xff", 9));
}

TEST(RenderJson, WritesNonFiniteFiguresAsNull) {
  RunReport report = sample_report();
  report.targets[0].cases[4].observation.figures[0].value =
      std::numeric_limits<double>::quiet_NaN();
  const json doc = json::parse(render_json(report));
  EXPECT_TRUE(doc["targets"][0]["cases"][4]["figures"][0]["value"].is_null());
}

TEST(RenderCatalogueJson, ListsCasesWithDeadlines) {
  CaseInfo info;
  info.id = "udp.echo.small";
  info.transport = Transport::kUdp;
  info.deadline = std::chrono::milliseconds(2500);
  const json doc = json::parse(render_catalogue_json({info}));
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["id"], "udp.echo.small");
  EXPECT_EQ(doc[0]["transport"], "udp");
  EXPECT_EQ(doc[0]["deadline_ms"], 2500);
}

}  // namespace
}  // namespace echo::conformance::report
