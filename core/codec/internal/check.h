// ECHO_CODEC_CHECK: aborts with a message when a caller breaks a documented
// precondition (a programming error, not bad input). Active in every build
// type because the checks are cheap.
//
// Example:
//   ECHO_CODEC_CHECK(in.size() >= 4, "load_be32 needs 4 bytes");
#pragma once

#include <cstdio>
#include <cstdlib>

#define ECHO_CODEC_CHECK(condition, what)                                               \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "%s:%d: precondition failed: %s (%s)\n", __FILE__, __LINE__, \
                   #condition, what);                                                   \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
