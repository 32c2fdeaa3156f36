// parse_ipv4() and format_ipv4(): strict dotted quads, written without
// inet_pton so that the fuzzer can test the two against each other.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/address/internal/quote.h"
#include "core/address/parse.h"

namespace echo {
namespace {

using address_internal::quoted;

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The value of at most three decimal digits.
int small_decimal(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Why `part` is not a decimal 0-255 without leading zeros, or nullopt when it is.
std::optional<std::string> part_problem(std::string_view part) {
  if (part.empty()) return "empty part: expected a number 0-255 between dots";
  if (!all_digits(part)) return "part " + quoted(part) + " is not a decimal number 0-255";
  if (part.size() > 1 && part[0] == '0') {
    return "part " + quoted(part) + " has a leading zero: expected 0-255 without leading zeros";
  }
  if (part.size() > 3 || small_decimal(part) > 255) {
    return "part " + quoted(part) + " is out of range 0-255";
  }
  return std::nullopt;
}

}  // namespace

Result<in_addr> parse_ipv4(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return Error{quoted(text) + " is not a valid IPv4 address: " + why};
  };
  if (text.empty()) return fail("empty: expected a dotted quad like 192.0.2.1");
  uint8_t bytes[4] = {};
  int parts = 0;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    const std::string_view part = text.substr(start, dot - start);
    if (auto problem = part_problem(part)) return fail(*problem);
    if (parts < 4) bytes[parts] = static_cast<uint8_t>(small_decimal(part));
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts != 4) return fail("expected 4 dot-separated parts, got " + std::to_string(parts));
  in_addr address{};
  std::memcpy(&address.s_addr, bytes, sizeof bytes);  // s_addr is in network byte order
  return address;
}

std::string format_ipv4(in_addr address) {
  uint8_t bytes[4];
  std::memcpy(bytes, &address.s_addr, sizeof bytes);
  std::string out;
  for (uint8_t byte : bytes) {
    if (!out.empty()) out += '.';
    out += std::to_string(byte);
  }
  return out;
}

}  // namespace echo
