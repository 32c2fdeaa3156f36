#include "conformance/report/terminal_report.h"

#include <gtest/gtest.h>

#include "conformance/report/testing/sample_report.h"

namespace echo::conformance::report {
namespace {

using testing::sample_report;

TEST(ColorWanted, OnlyOnATerminalWithoutNoColor) {
  EXPECT_TRUE(color_wanted(true, nullptr));
  EXPECT_TRUE(color_wanted(true, ""));  // no-color.org: an empty value does not count
  EXPECT_FALSE(color_wanted(true, "1"));
  EXPECT_FALSE(color_wanted(false, nullptr));
}

TEST(RenderTerminal, WithoutColorHasNoEscapeSequencesEvenFromHostileEvidence) {
  const std::string text = render_terminal(sample_report(), TerminalOptions{});
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("\\x1b[2J"), std::string::npos);  // the server's escape, spelled out
}

TEST(RenderTerminal, WithColorPaintsVerdicts) {
  TerminalOptions options;
  options.color = true;
  const std::string text = render_terminal(sample_report(), options);
  EXPECT_NE(text.find("\x1b[1;31mFAIL\x1b[0m"), std::string::npos);
  EXPECT_NE(text.find("\x1b[32mPASS\x1b[0m"), std::string::npos);
}

TEST(RenderTerminal, ListsEveryCaseWithVerdictIdTitleAndDuration) {
  const std::string text = render_terminal(sample_report(), TerminalOptions{});
  EXPECT_NE(text.find("  FAIL  tcp.echo.binary  "), std::string::npos);
  EXPECT_NE(text.find("Title of tcp.echo.binary"), std::string::npos);
  EXPECT_NE(text.find("15.0 s"), std::string::npos);
  EXPECT_NE(text.find("  SKIP  udp.echo.small"), std::string::npos);
}

TEST(RenderTerminal, ShowsEvidenceUnderNonPassOnly) {
  const std::string text = render_terminal(sample_report(), TerminalOptions{});
  EXPECT_NE(text.find("        expected 256 bytes echoed, actual 12 bytes <b> — got <script>"),
            std::string::npos);
  EXPECT_EQ(text.find("second line"), std::string::npos);  // only the first line
  EXPECT_NE(text.find("        closed before echoing after FIN"), std::string::npos);
}

TEST(RenderTerminal, PrintsFindingsFirstLikeACompilerAndMarksTheCasesTheyExplain) {
  const std::string text = render_terminal(sample_report(), TerminalOptions{});
  const std::size_t finding = text.find("  error[nul-cut]: data is cut at the first NUL byte <i>");
  ASSERT_NE(finding, std::string::npos) << text;
  EXPECT_LT(finding, text.find("  FAIL  tcp.echo.binary")) << "findings come before the cases";
  EXPECT_NE(text.find("      explains 1 case: tcp.echo.binary\n"), std::string::npos) << text;
  EXPECT_NE(text.find("      more: echo-conformance explain nul-cut\n"), std::string::npos);
  EXPECT_NE(text.find("[nul-cut]\n"), std::string::npos) << "the case line names its finding";
  EXPECT_NE(text.find("  ----  tcp.robust.reset"), std::string::npos);
  EXPECT_NE(text.find("        not judged: not run: the server stopped"), std::string::npos);
}

TEST(RenderFinding, WrapsTheExplanationToTheWidth) {
  Finding finding;
  finding.id = "stream-cut";
  finding.title = "every connection stops after 65,536 bytes";
  finding.explanation =
      std::string(30, 'a') + " " + std::string(30, 'b') + " " + std::string(30, 'c');
  finding.cases = {"tcp.segment.large-write"};
  finding.severity = Finding::Severity::kError;
  const std::string text = render_finding(finding, false, 72);
  EXPECT_NE(text.find("      " + std::string(30, 'a') + " " + std::string(30, 'b') + "\n      " +
                      std::string(30, 'c') + "\n"),
            std::string::npos)
      << text;
}

TEST(RenderTerminal, SummarisesEachTargetAndPrintsSeedAndReplay) {
  TerminalOptions options;
  options.replay_command = "echo-conformance check 192.0.2.7:7 --seed 12345678901234";
  const std::string text = render_terminal(sample_report(), options);
  EXPECT_NE(text.find("mine (192.0.2.7:7): 1 pass, 1 fail (1 required), 1 warn, 1 info, 1 skip, "
                      "1 not judged; 1 finding; "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reference (127.0.0.1:40000): 4 pass, 0 fail (0 required)"),
            std::string::npos);
  EXPECT_NE(text.find("seed: 12345678901234\n"), std::string::npos);
  EXPECT_NE(text.find("replay: echo-conformance check 192.0.2.7:7 --seed 12345678901234\n"),
            std::string::npos);
  EXPECT_NE(text.find("note: served one client at a time"), std::string::npos);
}

TEST(RenderTerminal, QuietLeavesOutPassesButKeepsProblems) {
  TerminalOptions options;
  options.problems_only = true;
  const std::string text = render_terminal(sample_report(), options);
  EXPECT_EQ(text.find("PASS"), std::string::npos);
  EXPECT_NE(text.find("FAIL"), std::string::npos);
  EXPECT_NE(text.find("WARN"), std::string::npos);
}

TEST(RenderTerminal, AlignsColumns) {
  const RunReport report = sample_report();
  const std::string a = render_case(report.targets[0].cases[0], 20, 30, false);
  const std::string b = render_case(report.targets[0].cases[3], 20, 30, false);
  EXPECT_EQ(a.find(" ms"), b.find(" ms"));
}

TEST(RenderProgress, CountsAndNamesTheCase) {
  const RunReport report = sample_report();
  EXPECT_EQ(render_progress(3, 10, "mine", report.targets[1].cases[0]),
            "[ 3/10] mine  tcp.echo.binary  fail");
}

}  // namespace
}  // namespace echo::conformance::report
