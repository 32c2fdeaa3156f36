// CorpusRecorder: where `echo-conformance --record-corpus DIR` writes the
// traffic of a run as fuzz inputs. Each input is a file DIR/<fuzz target>/<sha256>
// named by the SHA-256 of its content, as tools/fuzz-corpus-add names corpus
// files, so recording the same input twice stores it once. Bounded: an input
// is cut to max_input_bytes, and a case records at most max_files_per_case
// inputs. Thread-safe: cases running in parallel share one recorder.
//
// Example:
//   auto recorder = std::make_shared<CorpusRecorder>("/tmp/rec");
//   recorder->record("tcp.echo.text", "delimited_fuzzer", input);
//   // wrote /tmp/rec/delimited_fuzzer/<sha256 of input>
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace echo::conformance {

struct RecorderLimits {
  std::size_t max_input_bytes = 64 * 1024;  // longer inputs are cut to this many bytes
  std::size_t max_files_per_case = 8;       // per case id, all fuzz targets together
};

class CorpusRecorder {
 public:
  // Does not touch the disk; see prepare().
  explicit CorpusRecorder(std::filesystem::path folder, RecorderLimits limits = {});
  CorpusRecorder(const CorpusRecorder&) = delete;
  CorpusRecorder& operator=(const CorpusRecorder&) = delete;

  // Creates the folder; the error names it and says why it cannot be.
  [[nodiscard]] Status prepare() const;

  // Stores `input` (cut to max_input_bytes) as FOLDER/<fuzz_target>/<sha256>.
  // An input this recorder already stored is not counted again. Returns false
  // when `case_id` has used its quota or writing failed (see first_error()).
  bool record(std::string_view case_id, std::string_view fuzz_target,
              std::span<const std::byte> input);

  [[nodiscard]] const std::filesystem::path& folder() const noexcept { return folder_; }
  [[nodiscard]] const RecorderLimits& limits() const noexcept { return limits_; }
  // Distinct inputs recorded so far.
  [[nodiscard]] std::size_t recorded() const;
  // The first write that failed, e.g. "cannot write /tmp/rec/...: No space left on device".
  [[nodiscard]] std::string first_error() const;

 private:
  const std::filesystem::path folder_;
  const RecorderLimits limits_;
  mutable std::mutex mutex_;
  std::set<std::string> stored_;                              // "<fuzz target>/<sha256>"
  std::map<std::string, std::size_t, std::less<>> per_case_;  // inputs recorded per case id
  std::string first_error_;
};

}  // namespace echo::conformance
