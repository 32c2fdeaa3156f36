#include "conformance/explore/generate.h"

#include <gtest/gtest.h>

#include <set>

#include "conformance/explore/script_text.h"
#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

TEST(Generate, IsAPureFunctionOfTheSeed) {
  for (std::uint64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(generate_script(i, {}), generate_script(i, {}));
  }
  EXPECT_NE(generate_script(1, {}), generate_script(2, {}));
}

TEST(Generate, MakesValidCanonicalScriptsOfTheTransportsAsked) {
  for (const GeneratorOptions options :
       {GeneratorOptions{true, true}, GeneratorOptions{true, false},
        GeneratorOptions{false, true}}) {
    for (std::uint64_t i = 0; i < 500; ++i) {
      const Script s = generate_script(derive_seed(5, i), options);
      ASSERT_TRUE(validate(s).ok()) << validate(s).error().message << "\n" << print_script(s);
      EXPECT_EQ(canonical(s), s);
      for (const Step& step : s.steps) {
        if (step.kind == Step::Kind::kConnect) {
          EXPECT_TRUE(options.tcp);
        }
        if (step.kind == Step::Kind::kSocket) {
          EXPECT_TRUE(options.udp);
        }
      }
    }
  }
}

// The mix leans on the weak spots: over a few thousand scripts every kind of
// step, NULs, CR LF, high bytes, empty datagrams and sizes past 64 KiB show up,
// while most scripts stay small (16 KiB at most).
TEST(Generate, CoversTheWeakSpots) {
  std::set<Step::Kind> kinds;
  bool nul = false, crlf = false, high = false, empty_datagram = false, past_64k = false;
  std::size_t small = 0;
  constexpr std::size_t kScripts = 2000;
  for (std::uint64_t i = 0; i < kScripts; ++i) {
    const Script s = generate_script(derive_seed(11, i), {});
    if (s.bytes() <= 16 * 1024) ++small;
    for (const Step& step : s.steps) {
      kinds.insert(step.kind);
      if (step.kind == Step::Kind::kSend && step.payload.size() > 65536) past_64k = true;
      if (step.kind != Step::Kind::kSend || step.payload.size() > 100000) continue;
      const Bytes bytes = step.payload.bytes();
      if (bytes.empty() && step.channel < s.channel_count() &&
          channel_names(s)[step.channel][0] == 'u') {
        empty_datagram = true;
      }
      for (std::size_t k = 0; k < bytes.size(); ++k) {
        nul = nul || bytes[k] == std::byte{0};
        high = high || std::to_integer<unsigned>(bytes[k]) >= 0x80;
        crlf = crlf || (k + 1 < bytes.size() && bytes[k] == std::byte{'\r'} &&
                        bytes[k + 1] == std::byte{'\n'});
      }
    }
  }
  EXPECT_EQ(kinds.size(), 10u);
  EXPECT_TRUE(nul && crlf && high && empty_datagram && past_64k);
  EXPECT_GT(small, kScripts / 2);
}

TEST(Generate, PayloadsHaveExactlyTheSizeAsked) {
  for (std::uint64_t size : {0ull, 1ull, 2ull, 100ull, 4096ull, 65507ull, 1ull << 20}) {
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      EXPECT_EQ(generate_payload(seed, size).size(), size) << size << " seed " << seed;
    }
  }
}

}  // namespace
}  // namespace echo::conformance::explore
