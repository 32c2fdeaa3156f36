#include "core/util/write_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace echo {
namespace {

std::string read(const std::string& path) {
  std::ostringstream out;
  out << std::ifstream(path).rdbuf();
  return out.str();
}

TEST(WriteFileAtomically, ReplacesTheFileWithTheContent) {
  const std::string path = ::testing::TempDir() + "report-" + std::to_string(::getpid()) + ".txt";
  std::ofstream(path) << "old and longer content";
  ASSERT_TRUE(write_file_atomically(path, "new").ok());
  EXPECT_EQ(read(path), "new");
  std::remove(path.c_str());
}

TEST(WriteFileAtomically, NamesTheFileWhenTheFolderIsMissing) {
  const Status status = write_file_atomically("/nonexistent-folder/r.json", "{}");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "cannot write '/nonexistent-folder/r.json': No such file or directory");
}

}  // namespace
}  // namespace echo
