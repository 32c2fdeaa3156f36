// Log lines on stderr. Each line goes out in one write(2) so lines from
// several threads or processes never interleave.
//
// Example:
//   Logger log(options.quiet);
//   log.event("accepted " + peer.to_string());   // silenced by --quiet
//   log.warning("accept: too many open files");  // always printed
#pragma once

#include <atomic>
#include <chrono>
#include <string_view>

namespace echo::server {

class Logger {
 public:
  explicit Logger(bool quiet) noexcept : quiet_(quiet) {}

  // Per-connection events: accepted, closed, reset. Silenced by --quiet.
  void event(std::string_view line) const noexcept;
  // Whether event() prints: check it before building a line on a hot path.
  [[nodiscard]] bool enabled() const noexcept { return !quiet_; }
  // Problems an operator should see (not silenced).
  void warning(std::string_view line) const noexcept;

 private:
  bool quiet_;
};

// Allows one line per interval, so a persistent condition (EMFILE) cannot
// flood the log. Thread-safe.
class RateLimit {
 public:
  explicit RateLimit(std::chrono::steady_clock::duration interval) noexcept : interval_(interval) {}
  [[nodiscard]] bool allow() noexcept;

 private:
  std::chrono::steady_clock::duration interval_;
  std::atomic<std::chrono::steady_clock::rep> next_{0};
};

}  // namespace echo::server
