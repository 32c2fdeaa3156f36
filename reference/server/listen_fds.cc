#include "reference/server/listen_fds.h"

#include <charconv>
#include <string>
#include <string_view>

namespace echo::server {
namespace {

// A whole decimal number, nothing around it; false otherwise (or on overflow).
bool parse_decimal(std::string_view text, long long& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return !text.empty() && error == std::errc() && stop == end;
}

}  // namespace

Result<int> parse_listen_fds(const char* listen_pid, const char* listen_fds, pid_t self) {
  if (listen_pid == nullptr) return 0;
  long long pid = 0;
  if (!parse_decimal(listen_pid, pid) || pid <= 0) {
    return Error{"LISTEN_PID '" + std::string(listen_pid) + "' is not a process id", {}};
  }
  if (pid != self) return 0;  // meant for another process: not ours to take
  if (listen_fds == nullptr) return 0;
  long long count = 0;
  if (!parse_decimal(listen_fds, count) || count <= 0 || count > kMaxListenFds) {
    return Error{"LISTEN_FDS '" + std::string(listen_fds) + "' is not a number of descriptors 1-" +
                     std::to_string(kMaxListenFds),
                 {}};
  }
  return static_cast<int>(count);
}

}  // namespace echo::server
