// The text form of a script (script.h): what the fuzzer saves for each
// failure and what `echo-conformance replay FILE TARGET` reads. One step per
// line; '#' starts a comment; blank lines are ignored. docs/fuzzing.md has the
// grammar. Channels are named by transport and order of opening: c1, c2, ...
// for TCP connections, u1, u2, ... for UDP sockets. Durations are whole
// milliseconds with "ms". A payload is one or more pieces separated by spaces:
// a quoted string ("a\r\n", escapes \\ \" \n \r \t \xHH; "" is nothing),
// optionally repeated ("\x00" x 65536), or random(SEED, LENGTH) (seeded bytes;
// random(SEED, LENGTH, OFFSET) starts OFFSET bytes into that seed's stream).
//
// Example:
//   connect c1
//   send c1 "GET / HTTP/1.0\r\n" "\x00" x 3 random(42, 1000)
//   pause 20ms
//   hold c1 100ms                # read nothing on c1 for 100 ms
//   trickle c1 64 100ms          # read at most 64 bytes a millisecond for 100 ms
//   shutdown c1                  # then close c1 or reset c1
//   socket u1
//   send u1 ""                   # an empty datagram
//   burst u1 10 "ping"
//
// print_script() and parse_script() round-trip: parse(print(s)) == canonical(s)
// for every valid script s, and print(parse(t)) parses to parse(t).
#pragma once

#include <string>
#include <string_view>

#include "conformance/explore/script.h"
#include "core/util/result.h"

namespace echo::conformance::explore {

// The script as text, one step per line, each line ending with '\n'.
[[nodiscard]] std::string print_script(const Script& script);

// One step as it appears on its line, without the newline; `script` names
// its channel (c1, u2).
[[nodiscard]] std::string print_step(const Script& script, std::size_t index);

// A payload as text: `"abc" x 3 random(7, 100)`; `""` when empty.
[[nodiscard]] std::string print_payload(const Payload& payload);

// Parses and validates (validate() in script.h). Never throws on bad input;
// an error names the line and column: "line 3, column 9: expected a channel
// name such as c1 or u1, found 'x1'"; a step that does not fit the model:
// "line 5, column 1: step 3 (send c1): nothing can be sent after shutdown".
[[nodiscard]] Result<Script> parse_script(std::string_view text);

}  // namespace echo::conformance::explore
