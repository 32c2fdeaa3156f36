#include "conformance/report/html_report.h"

#include <gtest/gtest.h>

#include <regex>

#include "conformance/report/sample_report.h"

namespace echo::conformance::report {
namespace {

using testing::sample_report;

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(RenderHtml, HasOneCellPerCaseAndTarget) {
  const std::string html = render_html(sample_report());
  EXPECT_EQ(count(html, "<tr class=\"case"), 6u);
  EXPECT_EQ(count(html, "<td class=\"cell "), 12u);
  EXPECT_EQ(count(html, "class=\"cell verdict-fail"), 1u);
  EXPECT_EQ(count(html, "class=\"cell verdict-pass"), 5u);
}

TEST(RenderHtml, EscapesScriptInEvidence) {
  const std::string html = render_html(sample_report());
  EXPECT_EQ(count(html, "<script>"), 1u);  // our own script only
  EXPECT_NE(html.find("got &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

TEST(RenderHtml, HighlightsRowsWhoseVerdictDiffersFromTheReference) {
  const std::string html = render_html(sample_report());
  // tcp.echo.binary, tcp.half_close, udp.echo.small and tcp.robust.reset (on one target only)
  // differ; tcp.echo.large and tcp.rtt agree.
  EXPECT_EQ(count(html, "<tr class=\"case differs"), 4u);
  EXPECT_NE(html.find("<tr class=\"case differs problem\" data-case=\"tcp.echo.binary\""),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"case\" data-case=\"tcp.echo.large\""), std::string::npos);
}

TEST(RenderHtml, HighlightsNothingWithoutAReference) {
  RunReport report = sample_report();
  report.targets[0].is_reference = false;
  EXPECT_EQ(count(render_html(report), "<tr class=\"case differs"), 0u);
}

TEST(RenderHtml, MarksACaseMissingOnATargetAsNone) {
  RunReport report = sample_report();
  report.targets[1].cases.erase(report.targets[1].cases.begin() + 4);  // tcp.rtt
  const std::string html = render_html(report);
  EXPECT_EQ(count(html, "<td class=\"cell "), 12u);
  EXPECT_EQ(count(html, "verdict-none differs-cell"), 1u);
}

TEST(RenderHtml, ShowsSeedDateAndLegendInTheHeader) {
  const std::string html = render_html(sample_report());
  EXPECT_NE(html.find("<dd id=\"seed\">12345678901234</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd id=\"started-at\">2024-05-01T12:00:00Z</dd>"), std::string::npos);
  EXPECT_NE(html.find("class=\"legend\""), std::string::npos);
}

TEST(RenderHtml, PutsEvidenceExpectedActualAndFiguresInExpandableCells) {
  const std::string html = render_html(sample_report());
  EXPECT_NE(html.find("<dt>Expected</dt><dd>256 bytes echoed</dd><dt>Actual</dt><dd>12 bytes "
                      "&lt;b&gt;</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>rtt_p50</td><td>41.5 us</td></tr>"), std::string::npos);
  EXPECT_EQ(count(html, "<details>"), 11u);
}

TEST(RenderHtml, ShowsFindingsAboveTheMatrixAndTheCasesTheyExplain) {
  const std::string html = render_html(sample_report());
  const std::size_t panel = html.find("<section class=\"findings\"");
  ASSERT_NE(panel, std::string::npos);
  EXPECT_LT(panel, html.find("<table class=\"matrix\""));
  EXPECT_NE(html.find("<li class=\"finding severity-error\" id=\"finding-nul-cut\">"),
            std::string::npos);
  EXPECT_NE(html.find("data is cut at the first NUL byte &lt;i&gt;"), std::string::npos);
  EXPECT_NE(html.find("echo-conformance explain nul-cut"), std::string::npos);
  EXPECT_NE(html.find("explained by <code>nul-cut</code>"), std::string::npos);
  EXPECT_NE(html.find("verdict-not-judged"), std::string::npos);
}

TEST(RenderHtml, LoadsNothingFromTheNetwork) {
  const std::string html = render_html(sample_report());
  EXPECT_FALSE(std::regex_search(html, std::regex("(src|href)=|https?:|@import|url\\(")));
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
}

}  // namespace
}  // namespace echo::conformance::report
