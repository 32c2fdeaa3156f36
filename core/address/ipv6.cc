// parse_ipv6() and format_ipv6(): RFC 4291 text forms in, RFC 5952 text out,
// written without inet_pton so that the fuzzer can test the two against each
// other. Both accept exactly the same strings (see inet_pton_differential_test.cc).
#include <charconv>
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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 16 bytes of an address as they fill up from one side of "::".
struct Bytes {
  uint8_t data[16] = {};
  std::size_t size = 0;
  int groups() const { return static_cast<int>(size / 2); }
};

// Appends the groups of `side` (one side of "::", or the whole address) to
// `out`. A dotted quad may end the side when `ipv4_allowed` (it is the last
// side). Returns why the side is invalid, or nullopt.
std::optional<std::string> parse_side(std::string_view side, bool ipv4_allowed, Bytes& out) {
  if (side.empty()) return std::nullopt;
  for (std::size_t start = 0;;) {
    const std::size_t colon = side.find(':', start);
    const std::string_view group = side.substr(start, colon - start);
    const bool last = colon == std::string_view::npos;
    if (group.find('.') != std::string_view::npos) {
      if (!last || !ipv4_allowed) {
        return "embedded IPv4 address " + quoted(group) + " must be the last 32 bits";
      }
      if (out.size > 12) return "too many groups: no room for embedded IPv4 " + quoted(group);
      auto v4 = parse_ipv4(group);
      if (!v4) return "embedded " + v4.error().message;
      std::memcpy(out.data + out.size, &v4->s_addr, 4);
      out.size += 4;
      return std::nullopt;
    }
    if (group.empty()) return "empty group: a single ':' must stand between two groups";
    if (group.size() > 4) return "group " + quoted(group) + " has more than 4 hex digits";
    if (out.size == 16) return "too many groups: expected at most 8";
    unsigned value = 0;
    for (char c : group) value = value * 16 + static_cast<unsigned>(hex_value(c));
    out.data[out.size++] = static_cast<uint8_t>(value >> 8);
    out.data[out.size++] = static_cast<uint8_t>(value & 0xff);
    if (last) return std::nullopt;
    start = colon + 1;
  }
}

}  // namespace

Result<in6_addr> parse_ipv6(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return Error{quoted(text) + " is not a valid IPv6 address: " + why};
  };
  if (text.empty()) return fail("empty: expected hex groups separated by ':'");
  if (auto zone = text.find('%'); zone != std::string_view::npos) {
    return Error{"IPv6 zone ids (\"" + address_internal::clipped(text.substr(zone)) +
                 "\") are not supported: use an address without a zone"};
  }
  for (char c : text) {
    if (hex_value(c) < 0 && c != ':' && c != '.') {
      return fail("unexpected character " + quoted({&c, 1}) + ": expected hex digits, ':' or '.'");
    }
  }
  const std::size_t gap = text.find("::");
  if (gap != std::string_view::npos && text.find("::", gap + 1) != std::string_view::npos) {
    return fail("more than one '::' (or ':::'): expected at most one '::'");
  }
  const bool has_gap = gap != std::string_view::npos;
  Bytes head, tail;
  if (auto problem = parse_side(has_gap ? text.substr(0, gap) : text, !has_gap, head)) {
    return fail(*problem);
  }
  if (has_gap) {
    if (auto problem = parse_side(text.substr(gap + 2), true, tail)) return fail(*problem);
  }
  const int groups = head.groups() + tail.groups();
  if (!has_gap && groups != 8) return fail("expected 8 groups, got " + std::to_string(groups));
  if (has_gap && groups > 7) {
    return fail("'::' must stand for at least one zero group, but there are " +
                std::to_string(groups) + " groups besides it");
  }
  in6_addr address{};
  std::memcpy(address.s6_addr, head.data, head.size);
  std::memcpy(address.s6_addr + 16 - tail.size, tail.data, tail.size);
  return address;
}

std::string format_ipv6(const in6_addr& address) {
  const uint8_t* b = address.s6_addr;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMappedPrefix, sizeof kMappedPrefix) == 0) {
    in_addr v4{};
    std::memcpy(&v4.s_addr, b + 12, 4);
    return "::ffff:" + format_ipv4(v4);
  }
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = unsigned{b[2 * i]} << 8 | b[2 * i + 1];
  // The longest run of two or more zero groups, the first one on ties (RFC 5952 4.2).
  int best = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8;) {
    if (i == best) {
      out += "::";
      i += best_length;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char digits[4];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, groups[i], 16).ptr);
    ++i;
  }
  return out;
}

}  // namespace echo
