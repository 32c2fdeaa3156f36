#include "conformance/cli/options.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <vector>

#include "conformance/cli/app.h"

namespace echo::conformance::cli {
namespace {

TEST(ParseReportRequest, AcceptsTheThreeFormats) {
  auto json = parse_report_request("json=out.json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->format, ReportFormat::kJson);
  EXPECT_EQ(json->path, "out.json");
  EXPECT_EQ(parse_report_request("junit=a=b.xml")->path, "a=b.xml");
  EXPECT_EQ(parse_report_request("html=r.html")->format, ReportFormat::kHtml);
}

TEST(ParseReportRequest, NamesTheAcceptedFormatsForAnUnknownOne) {
  auto bad = parse_report_request("bogus=x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "--report 'bogus=x': unknown format 'bogus' (expected json, junit or html)");
}

TEST(ParseReportRequest, RefusesMissingEqualsOrFile) {
  EXPECT_EQ(parse_report_request("json").error().message,
            "--report 'json': expected FORMAT=FILE with FORMAT json, junit or html");
  EXPECT_EQ(parse_report_request("json=").error().message,
            "--report 'json=': expected a file name after '='");
}

TEST(ParseReportRequests, RefusesOneFileTwice) {
  auto twice = parse_report_requests({"json=r.out", "html=r.out"});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("'r.out' is named twice"), std::string::npos);
  EXPECT_EQ(parse_report_requests({"json=a", "html=b"})->size(), 2u);
}

TEST(ParseSeed, AcceptsTheWholeUint64Range) {
  EXPECT_EQ(*parse_seed("0"), 0u);
  EXPECT_EQ(*parse_seed("18446744073709551615"), 18446744073709551615u);
}

TEST(ParseSeed, RefusesSignsOverflowAndJunk) {
  for (const char* bad : {"", "-1", "+1", "18446744073709551616", "12x", " 1"}) {
    auto seed = parse_seed(bad);
    ASSERT_FALSE(seed.ok()) << bad;
    EXPECT_EQ(seed.error().message,
              "--seed '" + std::string(bad) + "': expected a whole number 0-18446744073709551615");
  }
}

TEST(CheckTimeoutScale, AcceptsFiniteScalesFromAHundredthToAThousand) {
  for (double scale : {0.01, 0.5, 1.0, 2.5, 1000.0}) EXPECT_TRUE(check_timeout_scale(scale).ok());
}

TEST(CheckTimeoutScale, RefusesNonFiniteZeroNegativeAndHuge) {
  EXPECT_EQ(check_timeout_scale(1e10).error().message,
            "--timeout-scale 1e+10 is out of range 0.01-1000");
  for (double scale :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), 0.0, -1.0, 0.009, 1000.5, 1e300}) {
    EXPECT_FALSE(check_timeout_scale(scale).ok()) << scale;
  }
}

TEST(RunApp, BadTimeoutScaleIsAOneLineUsageError) {
  for (const char* value : {"nan", "inf", "1e300", "1e400", "0", "-1", "0.001", "1001"}) {
    const std::vector<const char*> argv = {"echo-conformance", "--timeout-scale", value};
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_app(static_cast<int>(argv.size()), argv.data(), out, err), 2) << value;
    EXPECT_NE(err.str().find("--timeout-scale"), std::string::npos) << err.str();
    EXPECT_EQ(err.str().find('\n'), err.str().size() - 1) << err.str();
    EXPECT_EQ(out.str(), "") << value;
  }
}

TEST(RandomSeed, StaysBelowTwoToThe53) {
  for (int i = 0; i < 100; ++i) EXPECT_LT(random_seed(), std::uint64_t{1} << 53);
}

TEST(ShellQuote, QuotesOnlyWhatAShellWouldChange) {
  EXPECT_EQ(shell_quote("127.0.0.1:7"), "127.0.0.1:7");
  EXPECT_EQ(shell_quote("tcp.*"), "'tcp.*'");
  EXPECT_EQ(shell_quote("[::1]:7"), "'[::1]:7'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(ReplayCommand, RepeatsTargetsSelectionScaleAndSeed) {
  RunArgs args;
  args.targets = {"localhost:7", "[::1]:7"};
  args.cases = {"tcp.*"};
  args.exclude = {"tcp.rtt"};
  args.tcp_only = true;
  args.timeout_scale = 2.5;
  args.with_reference = true;
  args.jobs = 8;  // does not change results, so not repeated
  EXPECT_EQ(replay_command(args, 42),
            "echo-conformance check localhost:7 '[::1]:7' --tcp-only --cases 'tcp.*' "
            "--exclude tcp.rtt --timeout-scale 2.5 --with-reference --seed 42");
}

TEST(ReplayCommand, OfTheDefaultRunHasNoCheck) {
  EXPECT_EQ(replay_command(RunArgs{}, 7), "echo-conformance --seed 7");
}

}  // namespace
}  // namespace echo::conformance::cli
