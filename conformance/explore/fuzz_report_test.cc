// The fuzz reports: the JSON fields docs/fuzz-report-schema.md promises
// (stats, failures with script, steps, bytes, flaky and the finding in the
// checker's vocabulary), the HTML page showing the same, and bytes a server
// sent kept from breaking either format.
#include "conformance/explore/fuzz_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/explore/script_text.h"

namespace echo::conformance::explore {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

Script parsed(std::string_view text) {
  Result<Script> script = parse_script(text);
  EXPECT_TRUE(script.ok()) << script.error().message;
  return script.ok() ? *script : Script{};
}

CampaignResult a_run_with_one_nul_cut() {
  CampaignResult r;
  r.stop = CampaignResult::Stop::kMaxFailures;
  r.scripts_run = 4000;
  r.fuzzing = 2000ms;
  r.elapsed = 3500ms;
  r.scripts_per_s = 2000;
  r.unconfirmed["udp-silent"] = 2;
  FuzzFailure f;
  f.signature = {"nul-cut", ""};
  f.detail = "c1: 1 byte of 2 bytes came back </pre><script>alert(1)</script> \xff";
  f.found = parsed("connect c1\nsend c1 \"abc\\x00def\"\nshutdown c1\n");
  f.script = parsed("connect c1\nsend c1 \"\\xd7\\x00\"\n");
  f.reproduced = 3;
  f.reruns = 3;
  f.shrink_runs = 63;
  f.occurrences = 110;
  f.script_index = 6;
  f.saved = "fuzz-out/nul-cut-b073ad6304c5.script";
  r.failures.push_back(f);
  f.signature = {"udp-truncated", ""};
  f.flaky = true;
  f.reproduced = 2;
  f.detail = "u1: a datagram of 1025 bytes came back as its first 1024 bytes";
  f.script = parsed("socket u1\nsend u1 random(1, 1025)\n");
  f.saved = "fuzz-out/udp-truncated-18ef433a4d79.script";
  r.failures.push_back(f);
  return r;
}

FuzzRun the_run() {
  FuzzRun run;
  run.target = "127.0.0.1:7007";
  run.seed = 1;
  run.started_at = "2026-12-06T07:00:00Z";
  run.duration = 60s;
  return run;
}

TEST(FuzzReport, JsonHasTheStatsAndEachFailureAsDocumented) {
  const json report = json::parse(render_fuzz_json(the_run(), a_run_with_one_nul_cut()));
  EXPECT_EQ(report["format"], "echo-conformance-fuzz-report");
  EXPECT_EQ(report["format_version"], kFuzzJsonFormatVersion);
  EXPECT_EQ(report["stopped"], "max-failures");
  EXPECT_EQ(report["reference"], nullptr);
  EXPECT_EQ(report["stats"]["scripts_run"], 4000);
  EXPECT_DOUBLE_EQ(report["stats"]["scripts_per_s"].get<double>(), 2000.0);
  EXPECT_EQ(report["stats"]["failures"], 2);
  EXPECT_EQ(report["stats"]["flaky"], 1);
  EXPECT_EQ(report["stats"]["unconfirmed"]["udp-silent"], 2);
  ASSERT_EQ(report["failures"].size(), 2u);
  const json& nul = report["failures"][0];
  EXPECT_EQ(nul["script"], "fuzz-out/nul-cut-b073ad6304c5.script");
  EXPECT_EQ(nul["text"], "connect c1\nsend c1 \"\\xd7\\x00\"\n");
  EXPECT_EQ(nul["steps"], 2);
  EXPECT_EQ(nul["bytes"], 2);
  EXPECT_EQ(nul["flaky"], false);
  EXPECT_EQ(nul["finding"]["id"], "nul-cut");
  EXPECT_EQ(nul["finding"]["title"], "data is cut at the first NUL byte");
  EXPECT_EQ(nul["found_by"]["steps"], 3);
  EXPECT_EQ(nul["found_by"]["bytes"], 7);
  EXPECT_EQ(nul["occurrences"], 110);
  const json& udp = report["failures"][1];
  EXPECT_EQ(udp["flaky"], true);
  EXPECT_EQ(udp["bytes"], 1025);
  EXPECT_EQ(udp["finding"]["id"], "udp-truncated");
}

TEST(FuzzReport, HtmlShowsTheSameAndEscapesWhatTheServerSent) {
  const std::string html = render_fuzz_html(the_run(), a_run_with_one_nul_cut());
  for (const std::string part :
       {"<dt>scripts</dt><dd>4000</dd>", "<dt>scripts/s</dt><dd>2000</dd>",
        "<dt>failures</dt><dd>2</dd>", "<span class=\"id\">nul-cut</span>",
        "data is cut at the first NUL byte", "fuzz-out/nul-cut-b073ad6304c5.script",
        "2 steps, 2 bytes", "<span class=\"id\">udp-truncated</span>",
        "<span class=\"flaky\">flaky</span>", "<code>udp-silent</code>",
        "&lt;script&gt;alert(1)&lt;/script&gt;"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find('\xff'), std::string::npos);
}

TEST(FuzzReport, ARunWithoutFailuresSaysSo) {
  CampaignResult r;
  r.scripts_run = 10;
  const json report = json::parse(render_fuzz_json(the_run(), r));
  EXPECT_EQ(report["failures"].size(), 0u);
  EXPECT_EQ(report["stopped"], "duration");
  EXPECT_NE(render_fuzz_html(the_run(), r).find("No failure."), std::string::npos);
}

}  // namespace
}  // namespace echo::conformance::explore
