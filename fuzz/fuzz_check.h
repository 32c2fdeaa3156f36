// FUZZ_CHECK: the property checks of the fuzz targets. A broken property
// prints what was expected and aborts, which every engine reports as a crash
// (libFuzzer "deadly signal", AFL++ a saved crash, the replay driver SIGABRT).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                                            \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property broken: %s\n  ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                      \
      std::fprintf(stderr, "\n");                                                             \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
