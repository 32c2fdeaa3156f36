// A failure saved for replay: its script in the text form (script_text.h),
// headed by comments that say what it shows, where and how it was found, and
// the command that replays it. The file is named by the finding and the
// SHA-256 of the script text, as corpora/ regressions are
// (<finding>-<first 12 hex digits>.script): the same script saved twice is
// one file. `echo-conformance replay FILE TARGET` reads it back (the parser
// skips the comments).
//
// Example (a file it writes):
//   # echo-conformance fuzz: nul-cut: data is cut at the first NUL byte
//   # c1: 1 of 2 bytes came back: the echo stopped right before the NUL (00) ...
//   # failed 3 of 3 runs on 127.0.0.1:7007; found by script 1234 of seed 1
//   #   (9 steps, 70,221 bytes), shrunk in 57 runs
//   # replay: echo-conformance replay nul-cut-3f2a9c81d04b.script 127.0.0.1:7007
//   connect c1
//   send c1 "a\x00"
#pragma once

#include <cstdint>
#include <string>

#include "conformance/explore/campaign.h"
#include "core/util/result.h"

namespace echo::conformance::explore {

// What the header says about the run.
struct SaveContext {
  std::string target;  // as the user named it, for the replay command
  std::uint64_t seed = 0;
};

// "<finding>-<sha256 of the script text, 12 hex digits>.script"
[[nodiscard]] std::string saved_name(const std::string& finding, const Script& script);

// The file's text: the comment header, then print_script(script).
[[nodiscard]] std::string saved_text(const FuzzFailure& failure, const SaveContext& context,
                                     const std::string& file_name);

// Writes the failure (and, for a stopped server the fuzzer did not start, its
// suspects, as "server-stopped-suspect-N-<sha>.script") into `folder`,
// creating it; sets failure.saved (and saved_suspects) to the paths. Each file
// is written whole or not at all.
[[nodiscard]] Status save_failure(const std::string& folder, FuzzFailure& failure,
                                  const SaveContext& context);

}  // namespace echo::conformance::explore
