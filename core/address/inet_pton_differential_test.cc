// Differential test: parse_ipv4() and parse_ipv6() accept exactly the strings
// glibc's inet_pton() accepts, and give the same bytes. The inputs are edge
// cases plus generated near-misses (random groups, "::" placements, dotted
// quad tails, and single-character mutations of them).
//
// glibc (2.36, checked) agrees with RFC 4291 and with our strict rules on
// every corner we know of: no leading zeros in dotted quads (also inside IPv6),
// "::" must stand for at least one group, a dotted quad only as the last 32
// bits, at most 4 hex digits per group. The one deliberate difference is
// zone ids: both refuse "fe80::1%eth0", ours with its own message.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/address/parse.h"

namespace echo {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : random_(seed) {}

  std::string ipv4() {
    std::string text;
    const int parts = below(10) == 0 ? static_cast<int>(below(7)) : 4;
    for (int i = 0; i < parts; ++i) {
      if (i > 0) text += '.';
      if (below(12) == 0) continue;     // empty part
      if (below(10) == 0) text += '0';  // leading zero
      text += std::to_string(below(8) == 0 ? below(1000) : below(256));
    }
    return mutate(text, "0123456789.x +-");
  }

  std::string ipv6() {
    std::vector<std::string> groups;
    const int count = static_cast<int>(below(10));
    for (int i = 0; i < count; ++i) groups.push_back(hex_group());
    std::string text;
    const int gap = below(3) == 0 ? -1 : static_cast<int>(below(count + 1));
    for (int i = 0; i < count; ++i) {
      text += i == gap ? "::" : i > 0 ? ":" : "";
      text += groups[i];
    }
    if (gap == count) text += "::";
    if (below(4) == 0) {
      if (!text.empty() && text.back() != ':') text += ':';
      text += ipv4();
    }
    return mutate(text, "0123456789abcdefABCDEF:.g%");
  }

  std::string noise(std::string_view alphabet) {
    std::string text;
    const auto length = below(20);
    for (uint32_t i = 0; i < length; ++i) text += alphabet[below(alphabet.size())];
    return text;
  }

 private:
  uint32_t below(std::size_t n) { return static_cast<uint32_t>(random_() % n); }

  std::string hex_group() {
    static constexpr char kDigits[] = "0123456789abcdefABCDEF";
    const auto length = below(12) == 0 ? below(6) : 1 + below(4);
    std::string group;
    for (uint32_t i = 0; i < length; ++i) group += kDigits[below(sizeof kDigits - 1)];
    return group;
  }

  // Half the time, one character inserted, removed or replaced.
  std::string mutate(std::string text, std::string_view alphabet) {
    if (below(2) == 0) return text;
    const std::size_t at = below(text.size() + 1);
    const char c = alphabet[below(alphabet.size())];
    switch (below(3)) {
      case 0:
        text.insert(at, 1, c);
        break;
      case 1:
        if (at < text.size()) text.erase(at, 1);
        break;
      default:
        if (at < text.size()) text[at] = c;
    }
    return text;
  }

  std::mt19937 random_;
};

// Counts of inputs seen and accepted, so that a test can check it covered both.
struct Tally {
  int accepted = 0;
  int total = 0;
};

void expect_same_as_inet_pton_v4(const std::string& text, Tally& tally) {
  in_addr expected{};
  const bool glibc_ok = inet_pton(AF_INET, text.c_str(), &expected) == 1;
  auto ours = parse_ipv4(text);
  ASSERT_EQ(ours.ok(), glibc_ok) << "'" << text << "'"
                                 << (ours.ok() ? "" : ": " + ours.error().message);
  if (glibc_ok) {
    ASSERT_EQ(ours->s_addr, expected.s_addr) << text;
  }
  tally.accepted += glibc_ok;
  ++tally.total;
}

void expect_same_as_inet_pton_v6(const std::string& text, Tally& tally) {
  in6_addr expected{};
  const bool glibc_ok = inet_pton(AF_INET6, text.c_str(), &expected) == 1;
  auto ours = parse_ipv6(text);
  ASSERT_EQ(ours.ok(), glibc_ok) << "'" << text << "'"
                                 << (ours.ok() ? "" : ": " + ours.error().message);
  if (glibc_ok) {
    ASSERT_EQ(std::memcmp(ours->s6_addr, expected.s6_addr, 16), 0) << text;
  }
  tally.accepted += glibc_ok;
  ++tally.total;
}

const char* const kEdgeCases[] = {
    "",
    ".",
    "..",
    "...",
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.0",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "0x7f.0.0.1",
    "1.2.3.4 ",
    " 1.2.3.4",
    "+1.2.3.4",
    "1.2.3.-4",
    "4294967295",
    "::",
    ":::",
    "::1",
    "1::",
    ":",
    "1:",
    ":1",
    "1::2::3",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1:2:3:4:5:6::1.2.3.4",
    "::ffff:1.2.3.04",
    "::ffff:1.2.3",
    "1.2.3.4::",
    "::1.2.3.4:1",
    "00000::",
    "0000::",
    "FFFF::ffff",
    "fe80::1%eth0",
    "::%",
    "12345::",
    "::-1",
    "::+1",
};

TEST(InetPtonDifferential, Ipv4AcceptsExactlyWhatGlibcAccepts) {
  Tally tally;
  for (const char* text : kEdgeCases) expect_same_as_inet_pton_v4(text, tally);
  Generator generator(862);
  for (int i = 0; i < 100000; ++i) {
    expect_same_as_inet_pton_v4(i % 4 == 0 ? generator.noise("0123456789.") : generator.ipv4(),
                                tally);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(tally.accepted, tally.total / 10);
  EXPECT_LT(tally.accepted, tally.total * 9 / 10);
}

TEST(InetPtonDifferential, Ipv6AcceptsExactlyWhatGlibcAccepts) {
  Tally tally;
  for (const char* text : kEdgeCases) expect_same_as_inet_pton_v6(text, tally);
  Generator generator(4291);
  for (int i = 0; i < 200000; ++i) {
    expect_same_as_inet_pton_v6(
        i % 4 == 0 ? generator.noise("0123456789abcdef:.") : generator.ipv6(), tally);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(tally.accepted, tally.total / 10);
  EXPECT_LT(tally.accepted, tally.total * 9 / 10);
}

}  // namespace
}  // namespace echo
