// Replay driver: runs LLVMFuzzerTestOneInput once on every file named on the
// command line, descending into folders (in sorted order, skipping dotfiles).
// Linked instead of a fuzzing engine when ECHO_FUZZ_ENGINE is empty, so every
// target builds in the ordinary build, never rots, and reproduces a finding
// under gdb or valgrind:  bin/address_fuzzer corpora/address_fuzzer crash-1234
// In engine builds it is linked into <target>_replay (built on request).
//
// --repeat=N measures what one input costs: every input runs once, then N
// times more on a fresh heap copy (as libFuzzer copies each input), and the
// CPU time of those runs is printed as the mean per input and as inputs per
// CPU second, with no engine, file reading or mutation in the figure:
//   bin/ring_buffer_fuzzer_replay --repeat=20 corpora/ring_buffer_fuzzer
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

bool is_hidden(const fs::path& path) { return path.filename().string().starts_with('.'); }

void collect(const fs::path& path, std::vector<fs::path>& files) {
  if (!fs::is_directory(path)) {
    files.push_back(path);
    return;
  }
  std::vector<fs::path> entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(path)) {
    if (!is_hidden(entry.path())) entries.push_back(entry.path());
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& entry : entries) collect(entry, files);
}

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Runs the input once, then `repeat` times more; returns the CPU seconds of
// the repeated runs (0 without repeats), or a negative value when unreadable.
double run_one(const fs::path& path, long repeat) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return -1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A heap copy of exactly the input's size, so ASan sees reads past its end.
  auto run = [&bytes] {
    std::vector<uint8_t> input(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(input.data(), input.size());
  };
  run();
  const double start = cpu_seconds();
  for (long i = 0; i < repeat; ++i) run();
  return repeat > 0 ? cpu_seconds() - start : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  long repeat = 0;
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]).starts_with("--repeat=")) {
    char* end = nullptr;
    repeat = std::strtol(argv[1] + 9, &end, 10);
    if (*end != '\0' || repeat < 1) {
      std::fprintf(stderr, "replay: --repeat needs a positive count, not %s\n", argv[1] + 9);
      return 2;
    }
    first = 2;
  }
  if (argc <= first) {
    std::fprintf(stderr,
                 "usage: %s [--repeat=N] FILE_OR_FOLDER...  (replays each input once; with "
                 "--repeat, N times more, timed)\n",
                 argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = first; i < argc; ++i) {
    std::error_code error;
    if (!fs::exists(argv[i], error)) {
      std::fprintf(stderr, "replay: %s does not exist\n", argv[i]);
      return 2;
    }
    collect(argv[i], files);
  }
  std::size_t unreadable = 0;
  double seconds = 0;
  for (const fs::path& file : files) {
    if (repeat == 0) std::fprintf(stderr, "replay: %s\n", file.c_str());
    const double spent = run_one(file, repeat);
    if (spent < 0) ++unreadable;
    if (spent > 0) seconds += spent;
  }
  const std::size_t ran = files.size() - unreadable;
  std::fprintf(stderr, "replay: %zu inputs ran\n", ran);
  if (repeat > 0 && ran > 0) {
    const double runs = static_cast<double>(ran) * static_cast<double>(repeat);
    std::printf("%zu inputs x %ld: %.1f us CPU per input, %.0f inputs per CPU second\n", ran,
                repeat, seconds / runs * 1e6, runs / seconds);
  }
  return unreadable == 0 ? 0 : 1;
}
