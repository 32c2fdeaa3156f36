// run_program(): runs a program to its end under one deadline and keeps what
// it printed and how it ended, as a user at a terminal would see it. Standard
// input, when given, is written from a thread while the output is read, so
// large streams cannot deadlock. For tests and tools that run a command the
// way a user does.
//
// Example:
//   ProgramRun run = run_program(sibling_program("echo-conformance"), {"--version"},
//                                Deadline::after(std::chrono::seconds(20)));
//   EXPECT_EQ(run.exit_code, 0) << run.problem << run.err;
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/net/deadline.h"

namespace echo {

struct ProgramRun {
  int exit_code = -1;  // or 128 + signal; -1: it could not be run or did not finish in time
  std::string out;
  std::string err;
  std::string problem;  // what went wrong running it (empty when it ran to its end)
};

// With `input`, SIGPIPE is ignored from then on: a program that exits before
// reading all of it must not kill the caller.
[[nodiscard]] ProgramRun run_program(const std::string& program,
                                     const std::vector<std::string>& args, Deadline deadline,
                                     const std::optional<std::string>& input = std::nullopt);

// Reads a non-blocking pipe until its end or the deadline.
[[nodiscard]] std::string read_to_end(int fd, Deadline deadline);

}  // namespace echo
