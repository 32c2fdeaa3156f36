#include "conformance/record/stream_recording.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "conformance/record/datagram_recording.h"
#include "conformance/record/sha256.h"
#include "conformance/record/test_folder.h"

namespace echo::conformance {
namespace {

Bytes bytes_of(std::string_view text) {
  const auto span = std::as_bytes(std::span(text));
  return Bytes(span.begin(), span.end());
}

std::size_t count_files(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(folder)) return 0;
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    n += entry.is_regular_file();
  return n;
}

void feed(StreamVerifier& verifier, StreamRecording& recording, std::string_view chunk) {
  const Bytes bytes = bytes_of(chunk);
  verifier.feed(bytes);
  recording.add(verifier, bytes);
}

TEST(StreamRecording, RecordsATextEchoForTheVerifierAndDelimitedFuzzers) {
  TestFolder folder;
  auto recorder = std::make_shared<CorpusRecorder>(folder.path());
  {
    StreamRecording recording(recorder, "tcp.echo.text");
    StreamVerifier verifier = StreamVerifier::for_bytes(bytes_of("one\ntwo\n"));
    feed(verifier, recording, "one\n");
    feed(verifier, recording, "two\n");
  }
  EXPECT_EQ(count_files(folder.path() / "stream_verifier_fuzzer"), 1u);
  const Bytes delimited = delimited_input(bytes_of("one\ntwo\n"));
  EXPECT_TRUE(std::filesystem::exists(folder.path() / "delimited_fuzzer" / sha256_hex(delimited)));
}

TEST(StreamRecording, RecordsEachVerifiersStreamApart) {
  TestFolder folder;
  auto recorder = std::make_shared<CorpusRecorder>(folder.path());
  StreamRecording recording(recorder, "tcp.echo.binary");
  StreamVerifier first = StreamVerifier::for_bytes(Bytes{std::byte{0}, std::byte{0xff}});
  StreamVerifier second = StreamVerifier::for_bytes(Bytes{std::byte{1}, std::byte{0xfe}});
  feed(first, recording, std::string_view("\0", 1));
  feed(second, recording, "\x01\xfe");
  feed(first, recording, "\xff");
  recording.flush();
  // The first's byte, then the second's two; the first's later byte belongs
  // to a stream whose start this recording no longer holds: not recorded.
  EXPECT_EQ(count_files(folder.path() / "stream_verifier_fuzzer"), 2u);
}

TEST(StreamRecording, KeepsOnlyTheFirstBytesOfALongStream) {
  TestFolder folder;
  auto recorder = std::make_shared<CorpusRecorder>(folder.path());
  {
    StreamRecording recording(recorder, "tcp.flow.bulk");
    PayloadStream payload(42, 1);
    StreamVerifier verifier = StreamVerifier::for_payload(payload, 64u << 20);
    Bytes chunk(64 * 1024);
    for (std::uint64_t offset = 0; offset < (1u << 20); offset += chunk.size()) {
      payload.fill(offset, chunk);
      verifier.feed(chunk);
      recording.add(verifier, chunk);
    }
  }
  const auto folder_of = folder.path() / "stream_verifier_fuzzer";
  ASSERT_EQ(count_files(folder_of), 1u);
  const auto file = std::filesystem::directory_iterator(folder_of)->path();
  EXPECT_LT(std::filesystem::file_size(file), 64u) << "a few echo operations, no data";
  EXPECT_EQ(count_files(folder.path() / "delimited_fuzzer"), 0u) << "binary, not text";
}

TEST(StreamRecording, WithoutARecorderDoesNothing) {
  StreamRecording recording(nullptr, "tcp.echo.text");
  StreamVerifier verifier = StreamVerifier::for_bytes(bytes_of("x"));
  feed(verifier, recording, "x");
  recording.flush();  // nothing to write, nowhere to write it
}

TEST(DatagramRecording, RecordsTheFirstRepliesTogetherAndUnexpectedOnesAlone) {
  TestFolder folder;
  auto recorder =
      std::make_shared<CorpusRecorder>(folder.path(), RecorderLimits{.max_files_per_case = 100});
  {
    DatagramRecording recording(recorder, "udp.burst.1000");
    for (int i = 0; i < 40; ++i) {
      recording.add(bytes_of("reply " + std::to_string(i)), /*expected=*/i % 3 != 0);
    }
  }
  // One input of the first 16 replies, and 4 of the 14 unexpected ones.
  EXPECT_EQ(count_files(folder.path() / "probe_record_fuzzer"),
            1u + DatagramRecording::kUnexpected);
}

}  // namespace
}  // namespace echo::conformance
