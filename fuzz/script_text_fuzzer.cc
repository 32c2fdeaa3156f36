// script_text_fuzzer: the live fuzzer's script parser
// (conformance/explore/script_text.h), which reads files a user hands to
// `echo-conformance replay`. Input: the text of a script. Properties (a
// broken one aborts):
//  - parse_script never crashes or hangs, whatever the bytes, and an error
//    names a line and a column ("line L, column C: ...") within the input;
//  - whatever parses is valid (validate()) and canonical, and prints back to
//    text that parses to the same script; printing that again gives the same
//    text (the printed form is canonical).
// Payload bytes are never generated: a "\x00" x 67108864 costs nothing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "conformance/explore/script.h"
#include "conformance/explore/script_text.h"
#include "fuzz/fuzz_check.h"

namespace {

using echo::conformance::explore::canonical;
using echo::conformance::explore::parse_script;
using echo::conformance::explore::print_script;
using echo::conformance::explore::validate;

constexpr std::size_t kMaxInput = 1 << 16;

// "line L, column C: ..." with L and C within the input.
void check_error(const std::string& message, std::string_view text) {
  unsigned long line = 0;
  unsigned long column = 0;
  FUZZ_CHECK(std::sscanf(message.c_str(), "line %lu, column %lu: ", &line, &column) == 2,
             "the error does not name a line and column: %s", message.c_str());
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  FUZZ_CHECK(line >= 1 && line <= lines, "error at line %lu of %zu: %s", line, lines,
             message.c_str());
  FUZZ_CHECK(column >= 1 && column <= text.size() + 1, "error at column %lu: %s", column,
             message.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_script(text);
  if (!parsed) {
    check_error(parsed.error().message, text);
    return 0;
  }
  FUZZ_CHECK(validate(*parsed).ok(), "a parsed script does not validate: %s",
             validate(*parsed).error().message.c_str());
  FUZZ_CHECK(canonical(*parsed) == *parsed, "a parsed script is not canonical");
  const std::string printed = print_script(*parsed);
  const auto again = parse_script(printed);
  FUZZ_CHECK(again.ok(), "printed text does not parse: %s\n%s", again.error().message.c_str(),
             printed.c_str());
  FUZZ_CHECK(*again == *parsed, "printed text parses to another script:\n%s", printed.c_str());
  FUZZ_CHECK(print_script(*again) == printed, "printing is not canonical:\n%s", printed.c_str());
  return 0;
}
