// DatagramRecording: UDP replies that hold probe records (udp.burst.*),
// recorded as probe_record_fuzzer inputs while a case receives them (see
// corpus_recorder.h). The first kFirst replies, one after another as they came
// back, make one input; each unexpected reply (corrupt, truncated, duplicated,
// unknown) is also recorded alone, up to kUnexpected of them. With no recorder
// it does nothing.
//
// Example:
//   DatagramRecording recording(context.recorder, context.case_id);
//   recording.add(reply.data, /*expected=*/tally.count(reply));
//   // ... on destruction (or flush()) the first replies are recorded
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "conformance/record/corpus_recorder.h"
#include "conformance/record/fuzz_inputs.h"

namespace echo::conformance {

class DatagramRecording {
 public:
  static constexpr std::size_t kFirst = 16;
  static constexpr std::size_t kUnexpected = 4;

  DatagramRecording(std::shared_ptr<CorpusRecorder> recorder, std::string case_id);
  ~DatagramRecording() { flush(); }
  DatagramRecording(const DatagramRecording&) = delete;
  DatagramRecording& operator=(const DatagramRecording&) = delete;

  // A reply arrived; `expected` says whether it was the record awaited.
  void add(std::span<const std::byte> datagram, bool expected);
  // Records the first replies, if any, and forgets them.
  void flush();

 private:
  std::shared_ptr<CorpusRecorder> recorder_;
  std::string case_id_;
  std::vector<Bytes> first_;
  std::size_t unexpected_ = 0;
};

}  // namespace echo::conformance
