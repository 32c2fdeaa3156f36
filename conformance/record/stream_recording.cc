#include "conformance/record/stream_recording.h"

#include <algorithm>

namespace echo::conformance {

StreamRecording::StreamRecording(std::shared_ptr<CorpusRecorder> recorder, std::string case_id)
    : recorder_(std::move(recorder)), case_id_(std::move(case_id)) {}

void StreamRecording::add(const StreamVerifier& verifier, std::span<const std::byte> chunk) {
  if (!recorder_ || chunk.empty()) return;
  const std::uint64_t before = verifier.received() - chunk.size();
  if (&verifier != verifier_ || before != seen_) start(verifier, before);
  seen_ += chunk.size();
  // A stream whose start this recording missed cannot be lined up with what
  // was expected: it is not recorded.
  if (missed_start_) return;
  const std::size_t room = kMaxStored - stream_.received.size();
  if (room == 0) return;
  chunk = chunk.first(std::min(room, chunk.size()));
  stream_.received.insert(stream_.received.end(), chunk.begin(), chunk.end());
  stream_.chunk_ends.push_back(stream_.received.size());
}

void StreamRecording::start(const StreamVerifier& verifier, std::uint64_t before) {
  flush();
  verifier_ = &verifier;
  seen_ = before;
  missed_start_ = before != 0;
  stream_.expected_length = verifier.expected_length();
  stream_.expected.resize(
      static_cast<std::size_t>(std::min<std::uint64_t>(verifier.expected_length(), kMaxStored)));
  verifier.expected_bytes(0, stream_.expected);
}

void StreamRecording::flush() {
  const bool any = recorder_ && !stream_.received.empty();
  if (any) {
    recorder_->record(case_id_, kStreamVerifierFuzzer, stream_verifier_input(stream_));
    if (is_text(stream_.expected)) {
      recorder_->record(case_id_, kDelimitedFuzzer, delimited_input(stream_.received));
    }
  }
  stream_ = {};
  verifier_ = nullptr;
  seen_ = 0;
  missed_start_ = false;
}

}  // namespace echo::conformance
