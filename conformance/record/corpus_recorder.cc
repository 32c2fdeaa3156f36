#include "conformance/record/corpus_recorder.h"

#include <fstream>
#include <system_error>

#include "conformance/record/sha256.h"

namespace echo::conformance {
namespace {

// Writes through a temporary dotfile and renames, so a reader never sees
// half a file (dotfiles are skipped by the replay driver and fuzz-corpus-add).
std::string write_file(const std::filesystem::path& path, std::span<const std::byte> data) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return "cannot create " + path.parent_path().string() + ": " + error.message();
  const std::filesystem::path partial =
      path.parent_path() / ("." + path.filename().string() + ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) return "cannot write " + partial.string();
  }
  std::filesystem::rename(partial, path, error);
  if (error) return "cannot rename " + partial.string() + ": " + error.message();
  return {};
}

}  // namespace

CorpusRecorder::CorpusRecorder(std::filesystem::path folder, RecorderLimits limits)
    : folder_(std::move(folder)), limits_(limits) {}

Status CorpusRecorder::prepare() const {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error || !std::filesystem::is_directory(folder_)) {
    return Error{"--record-corpus " + folder_.string() + ": cannot create the folder" +
                 (error ? ": " + error.message() : "")};
  }
  return {};
}

bool CorpusRecorder::record(std::string_view case_id, std::string_view fuzz_target,
                            std::span<const std::byte> input) {
  input = input.first(std::min(input.size(), limits_.max_input_bytes));
  const std::string name = std::string(fuzz_target) + "/" + sha256_hex(input);
  std::lock_guard lock(mutex_);
  if (stored_.count(name) != 0) return true;
  auto quota = per_case_.find(case_id);
  if (quota == per_case_.end()) quota = per_case_.emplace(std::string(case_id), 0).first;
  if (quota->second >= limits_.max_files_per_case) return false;
  const std::filesystem::path path = folder_ / name;
  if (!std::filesystem::exists(path)) {
    const std::string error = write_file(path, input);
    if (!error.empty()) {
      if (first_error_.empty()) first_error_ = error;
      return false;
    }
  }
  ++quota->second;
  stored_.insert(name);
  return true;
}

std::size_t CorpusRecorder::recorded() const {
  std::lock_guard lock(mutex_);
  return stored_.size();
}

std::string CorpusRecorder::first_error() const {
  std::lock_guard lock(mutex_);
  return first_error_;
}

}  // namespace echo::conformance
