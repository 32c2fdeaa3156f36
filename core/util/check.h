// ECHO_CHECK: the one checked precondition. Aborts with the file, line, the
// condition and a message when a caller breaks a documented precondition (a
// programming error, never bad input: bad input gets an Error). Active in
// every build type: the checks are cheap, and a broken precondition in a
// buffer or a session would otherwise reorder or lose bytes silently.
//
// Example:
//   ECHO_CHECK(n <= unsent().size(), "on_sent() of more than was offered");
#pragma once

#include <cstdio>
#include <cstdlib>

namespace echo::internal {
[[noreturn]] inline void check_failed(const char* file, int line, const char* condition,
                                      const char* what) {
  std::fprintf(stderr, "%s:%d: precondition failed: %s (%s)\n", file, line, condition, what);
  std::abort();
}
}  // namespace echo::internal

#define ECHO_CHECK(condition, what)                                           \
  do {                                                                        \
    if (!(condition)) [[unlikely]] {                                          \
      ::echo::internal::check_failed(__FILE__, __LINE__, #condition, (what)); \
    }                                                                         \
  } while (false)
