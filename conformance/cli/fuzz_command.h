// `echo-conformance fuzz TARGET`: generated conversations against a running
// server (or one it starts with --spawn) for --duration; every failure is
// confirmed, shrunk and saved under --out as a replayable script
// (conformance/explore). Prints each failure as it is found, a progress line
// on a terminal, and a summary; writes --report json=FILE / html=FILE.
// Exit codes as the checker's: 0 no failure, 1 a failure found, 2 usage
// error, unreachable target, or a report or script that could not be written.
//
// Example:
//   FuzzArgs args;
//   args.target = "127.0.0.1:7007";
//   args.duration = 60;
//   return run_fuzz(args, std::cout, std::cerr);
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace echo::conformance::cli {

struct FuzzArgs {
  std::string target;     // [NAME=]HOST:PORT; empty with --spawn
  double duration = 60;   // seconds of fuzzing
  std::string seed_text;  // empty: random (printed)
  unsigned jobs = 1;
  std::size_t in_flight = 128;  // scripts at once per job
  bool tcp_only = false;
  bool udp_only = false;
  bool differential = false;  // also run every script against the reference server
  std::string reference;      // --reference HOST:PORT instead of the built-in one
  std::string out = "fuzz-out";
  std::vector<std::string> reports;  // "json=FILE", "html=FILE"
  std::string spawn;                 // 'CMD {port}'
  std::size_t max_failures = 0;      // 0: no limit
  double timeout_scale = 1.0;
  bool no_progress = false;
  bool quiet = false;
};

// Registers the `fuzz` subcommand and its options, filling `args`.
CLI::App* add_fuzz_command(CLI::App& app, FuzzArgs& args);

// Returns an ExitCode (exit_codes.h).
[[nodiscard]] int run_fuzz(const FuzzArgs& args, std::ostream& out, std::ostream& err);

}  // namespace echo::conformance::cli
