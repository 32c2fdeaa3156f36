#include "conformance/record/corpus_recorder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "conformance/record/sha256.h"
#include "conformance/record/test_folder.h"

namespace echo::conformance {
namespace {

std::span<const std::byte> bytes_of(const std::string& text) {
  return std::as_bytes(std::span(text));
}

std::string read_file(const std::filesystem::path& path) {
  std::ostringstream out;
  out << std::ifstream(path, std::ios::binary).rdbuf();
  return out.str();
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(folder)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

TEST(CorpusRecorder, NamesEachFileBySha256OfItsContent) {
  TestFolder folder;
  CorpusRecorder recorder(folder.path() / "rec");
  ASSERT_TRUE(recorder.prepare());
  const std::string input = "Hello, echo\n";
  EXPECT_TRUE(recorder.record("tcp.echo.text", "delimited_fuzzer", bytes_of(input)));
  const auto path = folder.path() / "rec" / "delimited_fuzzer" / sha256_hex(bytes_of(input));
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(read_file(path), input);
  EXPECT_EQ(recorder.recorded(), 1u);
  EXPECT_EQ(files_in(folder.path()).size(), 1u) << "no temporary file left behind";
}

TEST(CorpusRecorder, StoresTheSameInputOnceAndDoesNotCountItAgain) {
  TestFolder folder;
  CorpusRecorder recorder(folder.path(), {.max_input_bytes = 64, .max_files_per_case = 2});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(recorder.record("c", "x_fuzzer", bytes_of("same")));
  EXPECT_TRUE(recorder.record("c", "x_fuzzer", bytes_of("other")));
  EXPECT_EQ(recorder.recorded(), 2u);
  EXPECT_EQ(files_in(folder.path()).size(), 2u);
}

TEST(CorpusRecorder, CutsLongInputs) {
  TestFolder folder;
  CorpusRecorder recorder(folder.path(), {.max_input_bytes = 10, .max_files_per_case = 8});
  const std::string input(1000, 'a');
  EXPECT_TRUE(recorder.record("c", "x_fuzzer", bytes_of(input)));
  const std::string cut(10, 'a');
  const auto path = folder.path() / "x_fuzzer" / sha256_hex(bytes_of(cut));
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(read_file(path), cut);
}

TEST(CorpusRecorder, RecordsAtMostTheQuotaOfFilesPerCase) {
  TestFolder folder;
  CorpusRecorder recorder(folder.path(), {.max_input_bytes = 64, .max_files_per_case = 3});
  int accepted = 0;
  for (int i = 0; i < 10; ++i) {
    accepted += recorder.record("case.a", i % 2 ? "x_fuzzer" : "y_fuzzer",
                                bytes_of("input " + std::to_string(i)));
  }
  EXPECT_EQ(accepted, 3);
  EXPECT_TRUE(recorder.record("case.b", "x_fuzzer", bytes_of("another case")));
  EXPECT_EQ(files_in(folder.path()).size(), 4u);
}

TEST(CorpusRecorder, IsSafeToShareBetweenThreads) {
  TestFolder folder;
  CorpusRecorder recorder(folder.path(), {.max_input_bytes = 1024, .max_files_per_case = 25});
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&recorder, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every thread records the shared inputs too, and half the threads
        // share one case (whose quota they race for).
        const std::string own = "thread " + std::to_string(t) + " input " + std::to_string(i);
        const std::string shared = "shared input " + std::to_string(i);
        const std::string case_id = t % 2 ? "shared.case" : "case." + std::to_string(t);
        recorder.record(case_id, "x_fuzzer", bytes_of(own));
        recorder.record("shared.inputs", "y_fuzzer", bytes_of(shared));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // 4 own cases × 25, the shared case 25, the shared inputs 25 of 40.
  const auto files = files_in(folder.path());
  EXPECT_EQ(files.size(), 4u * 25 + 25 + 25);
  EXPECT_EQ(recorder.recorded(), files.size());
  for (const auto& path : files) {
    EXPECT_EQ(path.filename().string(), sha256_hex(bytes_of(read_file(path)))) << path;
  }
}

TEST(CorpusRecorder, PrepareNamesAFolderItCannotCreate) {
  TestFolder folder;
  std::ofstream(folder.path() / "file") << "a file, not a folder";
  CorpusRecorder recorder(folder.path() / "file" / "rec");
  const Status prepared = recorder.prepare();
  ASSERT_FALSE(prepared);
  EXPECT_NE(prepared.error().message.find("--record-corpus"), std::string::npos)
      << prepared.error().message;
  EXPECT_FALSE(recorder.record("c", "x_fuzzer", bytes_of("x")));
  EXPECT_FALSE(recorder.first_error().empty());
}

}  // namespace
}  // namespace echo::conformance
