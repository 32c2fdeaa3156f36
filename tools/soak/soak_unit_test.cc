// echo-soak's pure parts: /proc parsing, the byte pattern, the verdict, the
// reports and the command line. (The whole tool runs as Soak.ShortRunOfTheReferenceServer.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tools/soak/judge.h"
#include "tools/soak/options.h"
#include "tools/soak/pattern.h"
#include "tools/soak/process_stats.h"
#include "tools/soak/report.h"

namespace echo::soak {
namespace {

TEST(ProcessStats, ReadsVmRss) {
  EXPECT_EQ(parse_vm_rss_kib("Name:\tx\nVmHWM:\t  9 kB\nVmRSS:\t    5432 kB\n"), 5432);
  EXPECT_EQ(parse_vm_rss_kib("Name:\tkthread\n"), std::nullopt);
}

TEST(ProcessStats, ReadsCpuTimeAfterACommandNameWithSpacesAndParentheses) {
  // Fields 14-17: utime 150, stime 50, cutime 10, cstime 40 ticks.
  const std::string stat =
      "42 (a (weird) name) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 10 40 20 0 1 0 1000 0 0";
  EXPECT_DOUBLE_EQ(*parse_cpu_seconds(stat, 100), 2.5);
  EXPECT_EQ(parse_cpu_seconds("42 (x) S 1", 100), std::nullopt);
}

TEST(ProcessStats, SamplesThisProcess) {
  std::optional<ProcessStats> self = sample_tree(::getpid());
  ASSERT_TRUE(self);
  EXPECT_GT(self->rss_kib, 0);
  EXPECT_GE(self->descriptors, 3);
  EXPECT_EQ(self->processes, 1);
}

TEST(Pattern, FindsTheFirstWrongByte) {
  std::vector<std::byte> bytes(1000);
  fill_pattern(7, 5000, bytes);
  EXPECT_EQ(first_mismatch(7, 5000, bytes), std::nullopt);
  EXPECT_EQ(first_mismatch(8, 5000, bytes), 0u) << "another stream differs at once";
  bytes[321] ^= std::byte{1};
  EXPECT_EQ(first_mismatch(7, 5000, bytes), 321u);
  std::vector<std::byte> shifted(999);
  fill_pattern(7, 5001, shifted);
  EXPECT_NE(first_mismatch(7, 5000, shifted), std::nullopt) << "a lost byte shows";
}

std::vector<Sample> steady(long rss_after_warmup, long growth, int seconds = 100) {
  std::vector<Sample> samples;
  for (int t = 1; t <= seconds; ++t) {
    Sample s;
    s.t = t;
    s.rss_kib = t < 10 ? 1000 + t * 100 : rss_after_warmup + growth * (t - 10) / (seconds - 10);
    s.descriptors = 10'010;
    samples.push_back(s);
  }
  return samples;
}

TEST(Judge, PassesASteadyRun) {
  const Verdict v = judge(steady(5000, 100), 10, 6, 6, Tally{}, 0, 1024);
  EXPECT_TRUE(v.pass) << (v.reasons.empty() ? "" : v.reasons[0]);
  EXPECT_LT(v.rss_growth_kib, 100);
}

TEST(Judge, IgnoresGrowthDuringTheWarmUp) {
  const Verdict v = judge(steady(50'000, 0), 10, 6, 6, Tally{}, 0, 1024);
  EXPECT_TRUE(v.rss_ok);
}

TEST(Judge, FailsOnGrowthAfterTheWarmUp) {
  const Verdict v = judge(steady(5000, 4096), 10, 6, 6, Tally{}, 0, 1024);
  EXPECT_FALSE(v.rss_ok);
  EXPECT_FALSE(v.pass);
  EXPECT_GT(v.rss_growth_kib, 1024);
}

TEST(Judge, FailsOnDescriptorsDataOrServerErrors) {
  EXPECT_FALSE(judge(steady(5000, 0), 10, 6, 7, Tally{}, 0, 1024).descriptors_back);
  Tally lost;
  lost.lost_bytes = 1;
  EXPECT_FALSE(judge(steady(5000, 0), 10, 6, 6, lost, 0, 1024).data_ok);
  Tally udp;
  udp.udp_timed_out = 2;
  udp.udp_late = 1;  // one came back late: not lost, the other never did
  EXPECT_FALSE(judge(steady(5000, 0), 10, 6, 6, udp, 0, 1024).data_ok);
  udp.udp_late = 2;
  EXPECT_TRUE(judge(steady(5000, 0), 10, 6, 6, udp, 0, 1024).data_ok);
  const Verdict errors = judge(steady(5000, 0), 10, 6, 6, Tally{}, 3, 1024);
  EXPECT_FALSE(errors.server_ok);
  EXPECT_FALSE(errors.pass);
  EXPECT_TRUE(judge(steady(5000, 0), 10, 6, 6, Tally{}, std::nullopt, 1024).server_ok)
      << "attached: the server's errors are unknown, not failed";
  EXPECT_FALSE(judge({}, 10, 6, 6, Tally{}, 0, 1024).pass) << "no samples, no verdict";
}

TEST(Reports, JsonCarriesTheSamplesAndTheVerdictAndSvgIsADocument) {
  SoakResult result;
  result.command = "echo-soak -- echo-server <&>";
  result.samples = steady(5000, 0, 20);
  result.verdict = judge(result.samples, 10, 6, 6, Tally{}, 0, 1024);
  const auto json = nlohmann::json::parse(report_json(result));
  EXPECT_EQ(json["samples"].size(), 20u);
  EXPECT_TRUE(json["verdict"]["pass"].get<bool>());
  const std::string svg = report_svg(result);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;&amp;&gt;"), std::string::npos) << "the command is escaped";
  EXPECT_NE(summary_text(result).find("PASS"), std::string::npos);
}

std::variant<SoakOptions, int> parse(std::vector<const char*> args, std::string* err = nullptr) {
  args.insert(args.begin(), "echo-soak");
  std::ostringstream out, error;
  auto result = parse_soak_options(static_cast<int>(args.size()), const_cast<char**>(args.data()),
                                   out, error);
  if (err) *err = error.str();
  return result;
}

TEST(SoakOptions, TakesTheServerCommandAfterTheDashes) {
  auto parsed =
      parse({"--duration", "30", "--warmup", "5", "--", "echo-server", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(std::holds_alternative<SoakOptions>(parsed));
  const SoakOptions& o = std::get<SoakOptions>(parsed);
  EXPECT_EQ(o.server_command, (std::vector<std::string>{"echo-server", "--listen", "127.0.0.1:0"}));
  EXPECT_EQ(o.duration_s, 30);
  EXPECT_EQ(o.idle, 10'000u);
}

TEST(SoakOptions, RefusesATargetOffLoopbackAndAmbiguousRuns) {
  std::string err;
  EXPECT_EQ(std::get<int>(parse({"--target", "192.0.2.1:7", "--pid", "1"}, &err)), kExitUsage);
  EXPECT_NE(err.find("loopback"), std::string::npos) << err;
  EXPECT_EQ(std::get<int>(parse({}, &err)), kExitUsage);
  EXPECT_EQ(std::get<int>(parse({"--target", "127.0.0.1:7"}, &err)), kExitUsage);
  EXPECT_EQ(std::get<int>(parse({"--warmup", "60", "--duration", "30", "--", "x"}, &err)),
            kExitUsage);
  EXPECT_TRUE(
      std::holds_alternative<SoakOptions>(parse({"--target", "127.0.0.1:7", "--pid", "1"})));
}

}  // namespace
}  // namespace echo::soak
