// StreamRecording: one TCP connection's echoes, recorded as fuzz inputs while
// a case reads them (see corpus_recorder.h). Conversation::read_into() hands
// it every recv() chunk it feeds a StreamVerifier; each stream (one verifier)
// becomes a stream_verifier_fuzzer input with the real chunk boundaries, and a
// text stream also a delimited_fuzzer input. Only the first kMaxStored bytes
// of a stream are kept (a 64 MiB echo records its first chunks). With no
// recorder it does nothing.
//
// Example:
//   StreamRecording recording(context.recorder, context.case_id);
//   verifier.feed(chunk);
//   recording.add(verifier, chunk);
//   // ... on destruction (or flush()) the stream is recorded
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "conformance/oracle/stream_verifier.h"
#include "conformance/record/corpus_recorder.h"
#include "conformance/record/fuzz_inputs.h"

namespace echo::conformance {

class StreamRecording {
 public:
  static constexpr std::size_t kMaxStored = 60 * 1024;

  StreamRecording(std::shared_ptr<CorpusRecorder> recorder, std::string case_id);
  ~StreamRecording() { flush(); }
  StreamRecording(const StreamRecording&) = delete;
  StreamRecording& operator=(const StreamRecording&) = delete;

  // `chunk` was just fed to `verifier`. A verifier other than the one of the
  // stream being recorded, or one that saw bytes this recording did not,
  // starts a new stream (the current one is recorded first).
  void add(const StreamVerifier& verifier, std::span<const std::byte> chunk);
  // Records the current stream, if any bytes arrived, and forgets it.
  void flush();

 private:
  void start(const StreamVerifier& verifier, std::uint64_t before);

  std::shared_ptr<CorpusRecorder> recorder_;
  std::string case_id_;
  const StreamVerifier* verifier_ = nullptr;  // compared, never dereferenced
  std::uint64_t seen_ = 0;                    // bytes the verifier got, stored or not
  bool missed_start_ = false;                 // the verifier got bytes before the recording
  RecordedStream stream_;
};

}  // namespace echo::conformance
