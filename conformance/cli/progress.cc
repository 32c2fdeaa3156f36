#include "conformance/cli/progress.h"

#include "conformance/report/terminal_report.h"

namespace echo::conformance::cli {

Progress::Mode Progress::mode_for(bool stderr_is_terminal, bool disabled) noexcept {
  if (disabled) return Mode::kOff;
  return stderr_is_terminal ? Mode::kLive : Mode::kLines;
}

Progress::Progress(Mode mode, std::ostream& out, std::size_t total, std::size_t width)
    : mode_(mode), out_(out), total_(total), width_(width < 20 ? 20 : width) {}

void Progress::done(const TargetReport& target, const CaseResult& result) {
  const std::lock_guard lock(mutex_);
  ++done_;
  if (mode_ == Mode::kOff) return;
  std::string line = report::render_progress(done_, total_, target.name, result);
  if (mode_ == Mode::kLines) {
    out_ << line << '\n' << std::flush;
    return;
  }
  if (line.size() >= width_) line.resize(width_ - 1);  // target names and case ids are ASCII
  out_ << "\r\x1b[K" << line << std::flush;
  line_shown_ = true;
}

void Progress::finish() {
  const std::lock_guard lock(mutex_);
  if (line_shown_) out_ << "\r\x1b[K" << std::flush;
  line_shown_ = false;
}

}  // namespace echo::conformance::cli
