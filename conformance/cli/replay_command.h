// `echo-conformance replay FILE TARGET`: runs a saved script (the text form of
// conformance/explore/script_text.h, as `fuzz` saves failures) against a
// server and says whether it still fails, with the same evidence as `fuzz`.
// A failure that rests on a missing UDP reply counts only if it is still
// missing with paced datagrams. Exit codes: 0 it passes, 1 it still fails,
// 2 usage error, unreadable or invalid script (the error names line and
// column), unreachable target.
//
// Example:
//   ReplayArgs args{.file = "fuzz-out/nul-cut-3f2a9c81d04b.script", .target = "127.0.0.1:7007"};
//   return run_replay(args, std::cout, std::cerr);
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace echo::conformance::cli {

struct ReplayArgs {
  std::string file;
  std::string target;
  unsigned runs = 1;          // it fails if any run fails
  bool differential = false;  // compare with the reference server too
  std::string reference;      // HOST:PORT instead of the built-in reference
  double timeout_scale = 1.0;
};

CLI::App* add_replay_command(CLI::App& app, ReplayArgs& args);

[[nodiscard]] int run_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err);

}  // namespace echo::conformance::cli
