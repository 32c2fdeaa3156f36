// Progress while cases run, on standard error: on a terminal one live line
// rewritten in place, otherwise one plain line per finished case (so CI logs
// show where a slow run is), or nothing with --no-progress / --quiet.
//
// Example:
//   Progress progress(Progress::mode_for(isatty(2), args.no_progress), std::cerr, total, 100);
//   options.on_case_done = [&](const TargetReport& t, const CaseResult& r) { progress.done(t, r);
//   };
//   ... run ...
//   progress.finish();
#pragma once

#include <cstddef>
#include <mutex>
#include <ostream>

#include "conformance/model/case.h"

namespace echo::conformance::cli {

class Progress {
 public:
  enum class Mode { kOff, kLive, kLines };

  [[nodiscard]] static Mode mode_for(bool stderr_is_terminal, bool disabled) noexcept;

  // `width`: the terminal's columns; a live line is cut to fit so it never wraps.
  Progress(Mode mode, std::ostream& out, std::size_t total, std::size_t width);

  // One case finished. Thread-safe.
  void done(const TargetReport& target, const CaseResult& result);
  // Clears the live line, so the report starts on a clean line.
  void finish();

 private:
  Mode mode_;
  std::ostream& out_;
  std::size_t total_;
  std::size_t width_;
  std::size_t done_ = 0;
  bool line_shown_ = false;
  std::mutex mutex_;
};

}  // namespace echo::conformance::cli
