// address_fuzzer: the numeric address and port parsers of core/address/parse.h.
// Input: text as typed by a user. Properties (a broken one aborts):
//  - parse_ipv4 accepts exactly what glibc's inet_pton(AF_INET) accepts, with
//    the same bytes; parse_ipv6 likewise against inet_pton(AF_INET6), except
//    that a zone id ("fe80::1%eth0") is refused by both (inet_pton never
//    accepts '%') and text with a NUL byte is refused by ours.
//  - format then parse gives back the same address; formatting is canonical
//    (formatting the re-parsed address gives the same text) and matches
//    glibc's inet_ntop except for IPv4-compatible addresses (::a.b.c.d), which
//    RFC 5952 no longer prints in dotted form.
//  - parse_port agrees with a ten-line model of the documented grammar.
#include <arpa/inet.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/address/parse.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::PortRule;

// The port grammar of parse.h: decimal digits, no sign, no leading zero, in range.
std::optional<uint16_t> model_port(std::string_view text, PortRule rule) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
  if (value > 65535) return std::nullopt;
  if (value == 0 && rule == PortRule::kNonZero) return std::nullopt;
  return static_cast<uint16_t>(value);
}

void check_port(std::string_view text) {
  for (PortRule rule : {PortRule::kNonZero, PortRule::kZeroMeansAny}) {
    echo::Result<uint16_t> ours = echo::parse_port(text, rule);
    std::optional<uint16_t> model = model_port(text, rule);
    FUZZ_CHECK(ours.ok() == model.has_value(), "parse_port(\"%.*s\") %s, the model %s",
               static_cast<int>(text.size()), text.data(), ours ? "accepted" : "refused",
               model ? "accepts" : "refuses");
    if (ours) FUZZ_CHECK(*ours == *model, "parse_port gave %u, the model %u", *ours, *model);
    if (!ours) FUZZ_CHECK(!ours.error().message.empty(), "a refusal without a message");
  }
}

void check_ipv4(std::string_view text, const std::string& c_text, bool has_nul) {
  echo::Result<in_addr> ours = echo::parse_ipv4(text);
  in_addr theirs{};
  bool glibc_ok = !has_nul && inet_pton(AF_INET, c_text.c_str(), &theirs) == 1;
  FUZZ_CHECK(ours.ok() == glibc_ok, "parse_ipv4(\"%s\") %s but inet_pton %s", c_text.c_str(),
             ours ? "accepted" : "refused", glibc_ok ? "accepts" : "refuses");
  if (!ours) return;
  FUZZ_CHECK(ours->s_addr == theirs.s_addr, "parse_ipv4(\"%s\") gave other bytes than inet_pton",
             c_text.c_str());
  std::string formatted = echo::format_ipv4(*ours);
  char glibc_text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &*ours, glibc_text, sizeof glibc_text);
  FUZZ_CHECK(formatted == glibc_text, "format_ipv4 gave \"%s\", inet_ntop \"%s\"",
             formatted.c_str(), glibc_text);
  echo::Result<in_addr> again = echo::parse_ipv4(formatted);
  FUZZ_CHECK(again && again->s_addr == ours->s_addr, "\"%s\" does not parse back",
             formatted.c_str());
}

// ::a.b.c.d with a.b.c.d not 0.0.0.0/0.0.0.1: glibc prints it dotted, RFC 5952 does not.
bool is_ipv4_compatible(const in6_addr& address) {
  static constexpr uint8_t kZeros[12] = {};
  return std::memcmp(address.s6_addr, kZeros, sizeof kZeros) == 0 &&
         (address.s6_addr[12] != 0 || address.s6_addr[13] != 0);
}

void check_ipv6(std::string_view text, const std::string& c_text, bool has_nul) {
  echo::Result<in6_addr> ours = echo::parse_ipv6(text);
  in6_addr theirs{};
  bool glibc_ok = !has_nul && inet_pton(AF_INET6, c_text.c_str(), &theirs) == 1;
  FUZZ_CHECK(ours.ok() == glibc_ok, "parse_ipv6(\"%s\") %s but inet_pton %s", c_text.c_str(),
             ours ? "accepted" : "refused", glibc_ok ? "accepts" : "refuses");
  if (!ours) return;
  FUZZ_CHECK(std::memcmp(&*ours, &theirs, sizeof theirs) == 0,
             "parse_ipv6(\"%s\") gave other bytes than inet_pton", c_text.c_str());
  std::string formatted = echo::format_ipv6(*ours);
  for (char c : formatted) {
    FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)), "\"%s\" is not lower case",
               formatted.c_str());
  }
  echo::Result<in6_addr> again = echo::parse_ipv6(formatted);
  FUZZ_CHECK(again && std::memcmp(&*again, &*ours, sizeof theirs) == 0,
             "\"%s\" does not parse back to the address of \"%s\"", formatted.c_str(),
             c_text.c_str());
  FUZZ_CHECK(echo::format_ipv6(*again) == formatted, "formatting \"%s\" is not canonical",
             formatted.c_str());
  if (is_ipv4_compatible(*ours)) return;
  char glibc_text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &*ours, glibc_text, sizeof glibc_text);
  FUZZ_CHECK(formatted == glibc_text, "format_ipv6 gave \"%s\", inet_ntop \"%s\"",
             formatted.c_str(), glibc_text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = echo::fuzz::as_text(data, size);
  std::string c_text(text);
  bool has_nul = text.find('\0') != std::string_view::npos;
  check_port(text);
  check_ipv4(text, c_text, has_nul);
  check_ipv6(text, c_text, has_nul);
  return 0;
}
