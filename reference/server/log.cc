#include "reference/server/log.h"

#include <unistd.h>

#include <string>

namespace echo::server {
namespace {

void write_line(std::string_view line) noexcept {
  try {
    std::string text = "echo-server: ";
    text += line;
    text += '\n';
    // Best effort: a log line that cannot be written is not worth failing for.
    [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
  } catch (...) {  // std::bad_alloc: drop the line
  }
}

}  // namespace

void Logger::event(std::string_view line) const noexcept {
  if (!quiet_) write_line(line);
}

void Logger::warning(std::string_view line) const noexcept { write_line(line); }

bool RateLimit::allow() noexcept {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto next = next_.load(std::memory_order_relaxed);
  if (now < next) return false;
  return next_.compare_exchange_strong(next, now + interval_.count(), std::memory_order_relaxed);
}

}  // namespace echo::server
