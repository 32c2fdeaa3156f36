#include "conformance/report/write_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace echo::conformance::report {
namespace {

std::string read(const std::string& path) {
  std::ostringstream out;
  out << std::ifstream(path).rdbuf();
  return out.str();
}

TEST(WriteReportFile, ReplacesTheFileWithTheContent) {
  const std::string path = ::testing::TempDir() + "report-" + std::to_string(::getpid()) + ".txt";
  std::ofstream(path) << "old and longer content";
  ASSERT_TRUE(write_report_file(path, "new").ok());
  EXPECT_EQ(read(path), "new");
  std::remove(path.c_str());
}

TEST(WriteReportFile, NamesTheFileWhenTheFolderIsMissing) {
  const Status status = write_report_file("/nonexistent-folder/r.json", "{}");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "cannot write report '/nonexistent-folder/r.json': No such file or directory");
}

}  // namespace
}  // namespace echo::conformance::report
