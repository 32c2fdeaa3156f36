#include "conformance/record/fuzz_inputs.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace echo::conformance {
namespace {

Bytes bytes_of(std::string_view text) {
  const auto span = std::as_bytes(std::span(text));
  return Bytes(span.begin(), span.end());
}

// What a stream_verifier_fuzzer input asks for, read the way the fuzzer reads
// it (fuzz/stream_verifier_fuzzer.cc): per received byte 'm' (echoes the
// expected byte), 'c' (a corrupted expected byte) or the literal inserted
// byte; '|' between chunks.
struct Decoded {
  std::size_t length = 0;
  std::string shape;
};

Decoded decode(const Bytes& input) {
  Decoded d;
  std::size_t at = 0;
  auto u8 = [&] { return at < input.size() ? static_cast<unsigned>(input[at++]) : 0u; };
  auto u16 = [&] { return u8() << 8 | u8(); };
  EXPECT_EQ(u8(), 0u) << "mode";
  d.length = u16();
  EXPECT_EQ(u8(), 0u) << "seed";
  while (at < input.size()) {
    const unsigned op = u8();
    const unsigned n = u16();
    switch (op) {
      case 0:
        EXPECT_LT(n, 20000u);
        d.shape.append(n, 'm');
        break;
      case 1:
        EXPECT_LT(n, 64u);
        for (unsigned i = 0; i < n; ++i) d.shape.push_back(static_cast<char>(u8()));
        break;
      case 3:
        d.shape.push_back('c');
        break;
      case 4:
        d.shape.push_back('|');
        break;
      default:
        ADD_FAILURE() << "unexpected op " << op;
    }
  }
  return d;
}

RecordedStream stream(std::string_view expected, std::string_view received,
                      std::vector<std::size_t> ends) {
  return {bytes_of(expected), expected.size(), bytes_of(received), std::move(ends)};
}

TEST(StreamVerifierInput, KeepsChunkBoundariesMismatchesAndExtraBytes) {
  const Decoded d =
      decode(stream_verifier_input(stream("hello world", "helXo worldEXTRA", {3, 5, 16})));
  EXPECT_EQ(d.length, 11u);
  EXPECT_EQ(d.shape, "mmm|cm|mmmmmmEXTRA");
}

TEST(StreamVerifierInput, SplitsLongRunsAndLongInserts) {
  RecordedStream s;
  s.expected = Bytes(50000, std::byte{7});
  s.expected_length = s.expected.size();
  s.received = s.expected;
  s.received.resize(50100, std::byte{'x'});
  s.chunk_ends = {s.received.size()};
  const Decoded d = decode(stream_verifier_input(s));
  EXPECT_EQ(d.length, 50000u);
  EXPECT_EQ(d.shape, std::string(50000, 'm') + std::string(100, 'x'));
}

TEST(StreamVerifierInput, OfALongStreamKeepsWhatCanBeCompared) {
  // A 64 MiB echo of which the first 100 bytes were recorded: the fuzzer's
  // stream is 65,535 bytes long and receives those 100.
  RecordedStream s;
  s.expected = Bytes(100, std::byte{1});
  s.expected_length = 64u << 20;
  s.received = Bytes(150, std::byte{1});
  s.chunk_ends = {60, 150};
  const Decoded d = decode(stream_verifier_input(s));
  EXPECT_EQ(d.length, 65535u);
  EXPECT_EQ(d.shape, std::string(60, 'm') + "|" + std::string(40, 'm'));
}

TEST(StreamVerifierInput, OfNothingReceivedIsTheHeaderAlone) {
  EXPECT_EQ(stream_verifier_input(stream("abc", "", {})).size(), 4u);
}

TEST(FuzzInputs, PutTheTargetsHeadersFirst) {
  EXPECT_EQ(delimited_input(bytes_of("a\nb")), bytes_of("\n\x05\x01"
                                                        "a\nb"));
  const std::vector<Bytes> datagrams = {bytes_of("one"), bytes_of("two")};
  EXPECT_EQ(probe_record_input(datagrams), bytes_of("\x05onetwo"));
  EXPECT_EQ(target_list_input("[::1]:7"), bytes_of("[::1]:7"));
}

TEST(FuzzInputs, TextIsPrintableAsciiAndLineEndings) {
  EXPECT_TRUE(is_text(bytes_of("line one\nline two\r\n\ttab")));
  EXPECT_FALSE(is_text(bytes_of("")));
  EXPECT_FALSE(is_text(bytes_of(std::string_view("nul\0", 4))));
  EXPECT_FALSE(is_text(bytes_of("\xff")));
}

}  // namespace
}  // namespace echo::conformance
