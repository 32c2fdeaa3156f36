// shrink(): the smallest script that still fails the same way, by delta
// debugging over the script's structure. Round after round, until a round
// changes nothing, it tries to:
//   1. drop whole channels (every step of a connection or socket);
//   2. drop runs of steps (halves, quarters, ... single steps);
//   3. join consecutive writes on a connection into one (fewer chunk splits);
//   4. drop pieces of payloads;
//   5. shorten what is left: repeat counts, random runs from their end and
//      from their front, bytes of literal strings (runs of them, then one by
//      one), durations and burst sizes (a k-ary search toward the smallest).
// A candidate that does not validate() is never run. Small random runs are
// written out as literal bytes between rounds (the same bytes, so nothing to
// test), so that single bytes can go.
//
// The caller's test decides what "still fails" means; the campaign's test
// runs the candidate against the server and asks for the same finding id, so
// a nul-cut failure cannot drift into another defect. Candidates are tested
// `batch` at a time (the campaign runs them at once) and the first failing
// one in a fixed order is kept, so the result is deterministic for a
// deterministic server, however many ran at once.
//
// Example:
//   ShrinkResult r = shrink(script, [&](const std::vector<Script>& candidates) {
//     std::vector<bool> fails;
//     for (const Script& c : candidates) fails.push_back(fake_server_fails(c));
//     return fails;
//   }, {});
//   // r.script: connect c1 / send c1 "a\x00"
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "conformance/explore/script.h"

namespace echo::conformance::explore {

// For each candidate, whether it still fails the way being shrunk.
using CandidateTest = std::function<std::vector<bool>(const std::vector<Script>& candidates)>;

struct ShrinkOptions {
  std::size_t max_runs = 2000;  // candidates tested at most
  std::size_t batch = 8;        // candidates handed to the test at once
  // No candidate is tested after this (the default: no limit).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct ShrinkResult {
  Script script;             // the smallest failing script found (the input if nothing went)
  std::size_t runs = 0;      // candidates tested
  std::size_t accepted = 0;  // reductions kept
  bool complete = true;      // false: max_runs or the deadline ran out first
};

// `failing` must fail the test; it is the result if nothing smaller does.
[[nodiscard]] ShrinkResult shrink(const Script& failing, const CandidateTest& still_fails,
                                  const ShrinkOptions& options);

// The same script written more simply, with the same bytes on the wire:
// random pieces of at most 64 bytes as literal strings, neighbouring literal
// strings joined, a burst of one datagram as a send. shrink() applies it between rounds and to its
// result.
[[nodiscard]] Script tidy(Script script);

}  // namespace echo::conformance::explore
