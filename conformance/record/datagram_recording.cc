#include "conformance/record/datagram_recording.h"

namespace echo::conformance {

DatagramRecording::DatagramRecording(std::shared_ptr<CorpusRecorder> recorder, std::string case_id)
    : recorder_(std::move(recorder)), case_id_(std::move(case_id)) {}

void DatagramRecording::add(std::span<const std::byte> datagram, bool expected) {
  if (!recorder_) return;
  Bytes copy(datagram.begin(), datagram.end());
  if (!expected && unexpected_ < kUnexpected) {
    ++unexpected_;
    recorder_->record(case_id_, kProbeRecordFuzzer, probe_record_input({&copy, 1}));
  }
  if (first_.size() < kFirst) first_.push_back(std::move(copy));
}

void DatagramRecording::flush() {
  if (recorder_ && !first_.empty()) {
    recorder_->record(case_id_, kProbeRecordFuzzer, probe_record_input(first_));
  }
  first_.clear();
}

}  // namespace echo::conformance
