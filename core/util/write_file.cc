#include "core/util/write_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace echo {
namespace {

Error write_error(const std::string& path, int errno_value) {
  return system_error("cannot write '" + path + "'", errno_value);
}

// Writes all of content to a regular file, retrying short writes and EINTR
// (core's write_all sends on sockets only).
bool write_content(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return write_error(path, errno);
  const bool written = write_content(fd, content);
  int failure = written ? 0 : errno;
  if (::close(fd) != 0 && failure == 0) failure = errno;
  if (failure != 0) {
    ::unlink(temporary.c_str());
    return write_error(path, failure);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temporary.c_str());
    return write_error(path, rename_errno);
  }
  return {};
}

}  // namespace echo
