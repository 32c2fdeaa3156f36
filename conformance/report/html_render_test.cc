// Renders the HTML report in headless Chromium and checks what a person
// would see. Skipped when chromium is not installed (tools/setup installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "conformance/report/html_report.h"
#include "conformance/report/testing/sample_report.h"
#include "core/process/child_process.h"

namespace echo::conformance::report {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kChromium = "/usr/bin/chromium";

class HtmlRender : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " not installed";
    char pattern[] = "/tmp/echo-html-render-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
    page_ = folder_ / "report.html";
    std::ofstream(page_) << render_html(testing::sample_report());
  }
  void TearDown() override {
    std::error_code ignored;
    if (!folder_.empty()) fs::remove_all(folder_, ignored);
  }

  // Runs chromium headless on the page with `mode` (--dump-dom or
  // --screenshot=...) under timeout(1); returns its standard output.
  std::string chromium(const std::string& mode) {
    const std::string command =
        "exec timeout 60 " + std::string(kChromium) +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
        " --disable-background-networking --disable-component-update --disable-sync"
        " --hide-scrollbars --window-size=1280,900 --user-data-dir='" +
        (folder_ / "profile").string() + "' " + mode + " 'file://" + page_.string() +
        "' 2>/dev/null";
    auto child = ChildProcess::spawn("/bin/sh", {"-c", command});
    EXPECT_TRUE(child.ok()) << (child.ok() ? "" : child.error().message);
    if (!child.ok()) return "";
    Result<std::string> out = child->read_all(Deadline::after(90s));
    Result<int> status = child->wait(Deadline::after(10s));
    EXPECT_TRUE(status.ok() && *status == 0) << "chromium did not finish cleanly";
    return out.ok() ? *out : "";
  }

  fs::path folder_;
  fs::path page_;
};

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_F(HtmlRender, DomHasTheMatrixCellsWithVerdictClasses) {
  const std::string dom = chromium("--dump-dom");
  EXPECT_EQ(count(dom, "<td class=\"cell verdict-"), 12u);  // six rows, two targets
  EXPECT_EQ(count(dom, "<td class=\"cell verdict-fail"), 1u);
  EXPECT_EQ(count(dom, "<tr class=\"case differs"), 4u);
  EXPECT_NE(dom.find("12345678901234"), std::string::npos);
}

TEST_F(HtmlRender, EvidenceScriptStaysTextAndOurScriptRuns) {
  const std::string dom = chromium("--dump-dom");
  EXPECT_NE(dom.find("got &lt;script&gt;alert("), std::string::npos);
  // Our own inline script ran under the page's Content-Security-Policy.
  EXPECT_NE(dom.find("<html lang=\"en\" class=\"js\">"), std::string::npos);
}

TEST_F(HtmlRender, ScreenshotIsNotBlank) {
  const fs::path shot = folder_ / "shot.png";
  chromium("--screenshot=" + shot.string());
  ASSERT_TRUE(fs::exists(shot));
  std::ifstream in(shot, std::ios::binary);
  std::string signature(8, '\0');
  in.read(signature.data(), 8);
  EXPECT_EQ(signature, "\x89PNG\r\n\x1a\n");
  // A blank 1280x900 page compresses to a few KB; a coloured matrix of text does not.
  EXPECT_GT(fs::file_size(shot), 20'000u);
}

}  // namespace
}  // namespace echo::conformance::report
