// Runs `echo-conformance --record-corpus` against the reference server and
// replays what it recorded through the fuzz targets (built with the replay
// driver next to echo-conformance): every recorded input must run clean.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/process/child_process.h"

namespace echo {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Finished {
  int code = -1;
  std::string out;
};

Finished run(const std::string& program, const std::vector<std::string>& args,
             std::chrono::seconds limit) {
  const Deadline deadline = Deadline::after(limit);
  auto child = ChildProcess::spawn(sibling_program(program), args);
  EXPECT_TRUE(child.ok()) << (child.ok() ? "" : child.error().message);
  if (!child.ok()) return {};
  Finished finished;
  auto out = child->read_all(deadline);
  finished.out = out.ok() ? *out : "";
  auto code = child->wait(deadline);
  EXPECT_TRUE(code.ok()) << program << " did not finish within " << limit.count() << " s";
  finished.code = code.ok() ? *code : -1;
  return finished;
}

std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

class RecordCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("echo-record-corpus-" + std::to_string(::getpid()));
    fs::remove_all(folder_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  fs::path folder_;
};

TEST_F(RecordCorpus, TcpEchoCasesRecordInputsThatReplayCleanThroughTheirTargets) {
  const Finished checked = run("echo-conformance",
                               {"--cases", "tcp.echo.*", "--record-corpus", folder_.string(),
                                "--no-progress", "--seed", "7"},
                               60s);
  ASSERT_EQ(checked.code, 0) << checked.out;
  EXPECT_NE(checked.out.find("fuzz inputs into " + folder_.string()), std::string::npos)
      << checked.out;
  // tcp.echo.{text,binary,nothing-else} against the reference: the streams
  // (text and nothing-else are both 48 bytes in one chunk: the same input),
  // the two texts, and the addresses the reference listens on.
  const std::vector<std::string> targets = {"stream_verifier_fuzzer", "delimited_fuzzer",
                                            "target_list_fuzzer"};
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    const auto files = files_in(folder_ / target);
    EXPECT_GE(files.size(), target == "target_list_fuzzer" ? 1u : 2u);
    for (const fs::path& file : files) {
      EXPECT_EQ(file.filename().string().size(), 64u) << file << " is not named by SHA-256";
    }
    const Finished replayed = run(target, {(folder_ / target).string()}, 60s);
    EXPECT_EQ(replayed.code, 0) << replayed.out;
  }
  EXPECT_TRUE(files_in(folder_ / "probe_record_fuzzer").empty()) << "no UDP case ran";
}

TEST_F(RecordCorpus, AFolderThatCannotBeCreatedIsAUsageError) {
  const fs::path file =
      fs::temp_directory_path() / ("echo-record-file-" + std::to_string(::getpid()));
  { std::ofstream(file) << "not a folder"; }
  const Finished checked =
      run("echo-conformance",
          {"--cases", "tcp.echo.text", "--record-corpus", (file / "rec").string(), "--no-progress"},
          30s);
  fs::remove(file);
  EXPECT_EQ(checked.code, 2);
}

}  // namespace
}  // namespace echo
