#include "conformance/report/junit_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "conformance/report/sample_report.h"

namespace echo::conformance::report {
namespace {

using testing::sample_report;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RenderJunit, HasOneSuitePerTargetWithCounts) {
  const std::string xml = render_junit(sample_report());
  EXPECT_TRUE(contains(xml,
                       "<testsuites name=\"echo-conformance\" tests=\"11\" failures=\"1\" "
                       "errors=\"0\" skipped=\"2\""));
  EXPECT_TRUE(contains(xml,
                       "<testsuite name=\"reference\" tests=\"5\" failures=\"0\" errors=\"0\" "
                       "skipped=\"0\" time=\"15.020\""));
  EXPECT_TRUE(contains(xml,
                       "<testsuite name=\"mine\" tests=\"6\" failures=\"1\" errors=\"0\" "
                       "skipped=\"2\" time=\"0.030\""));
  EXPECT_TRUE(contains(xml, "<property name=\"seed\" value=\"12345678901234\"/>"));
}

TEST(RenderJunit, NamesTestcasesByTargetAndCaseId) {
  const std::string xml = render_junit(sample_report());
  EXPECT_TRUE(
      contains(xml, "<testcase classname=\"mine\" name=\"tcp.echo.large\" time=\"0.005\"/>"));
}

TEST(RenderJunit, WritesFailureWithLevelExpectedActualAndEscapedEvidence) {
  const std::string xml = render_junit(sample_report());
  EXPECT_TRUE(
      contains(xml,
               "<failure message=\"[nul-cut: data is cut at the first NUL byte &lt;i&gt;] "
               "got &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
               "&amp; &#39;more&#39;\\xff\\x01\\x1b[2J\" type=\"required\">"
               "Finding: [nul-cut: data is cut at the first NUL byte &lt;i&gt;] \n"
               "Expected: 256 bytes echoed\nActual: 12 bytes &lt;b&gt;\ngot &lt;script&gt;"));
  EXPECT_TRUE(contains(xml, "error[nul-cut]: data is cut at the first NUL byte &lt;i&gt;"));
  EXPECT_TRUE(contains(xml, "<skipped message=\"not judged: not run: the server stopped"));
  EXPECT_FALSE(contains(xml, "<script>"));
  EXPECT_FALSE(contains(xml, "\x01"));
  EXPECT_FALSE(contains(xml, "\x1b"));
}

TEST(RenderJunit, TreatsWarnAsPassWithNoteAndSkipAsSkipped) {
  const std::string xml = render_junit(sample_report());
  EXPECT_TRUE(contains(xml, "<system-out>warning: closed before echoing after FIN</system-out>"));
  EXPECT_TRUE(contains(xml, "<skipped message=\"--tcp-only was given\"/>"));
  EXPECT_TRUE(contains(xml, "rtt_p50 = 41.5 us"));
}

// xmllint, when installed, confirms the document is well-formed XML.
TEST(RenderJunit, IsWellFormedXml) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint not found";
  const std::string path = ::testing::TempDir() + "junit-" + std::to_string(::getpid()) + ".xml";
  std::ofstream(path) << render_junit(sample_report());
  EXPECT_EQ(std::system(("xmllint --noout '" + path + "'").c_str()), 0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace echo::conformance::report
