#include "conformance/explore/record.h"

#include <algorithm>

#include "conformance/oracle/stream_trace.h"

namespace echo::conformance::explore {

void ExpectedStream::fill(std::uint64_t offset, std::span<std::byte> into) const noexcept {
  // The segment holding `offset`: the last one starting at or before it.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::uint64_t at, const Segment& s) { return at < s.start; });
  if (it == segments_.begin()) return;
  --it;
  while (!into.empty() && it != segments_.end()) {
    const std::uint64_t size = it->payload->size();
    const std::uint64_t within = offset - it->start;
    if (within < size) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size - within, into.size()));
      it->payload->fill(within, into.first(n));
      into = into.subspan(n);
      offset += n;
    }
    ++it;
  }
}

ExpectedStream expected_stream(std::shared_ptr<const Script> script, ChannelId channel) {
  ExpectedStream stream;
  for (const Step& step : script->steps) {
    if (step.kind != Step::Kind::kSend || step.channel != channel) continue;
    if (step.payload.size() == 0) continue;
    stream.segments_.push_back({stream.size_, &step.payload});
    stream.size_ += step.payload.size();
  }
  stream.script_ = std::move(script);
  return stream;
}

StreamRecord StreamRecord::start(ChannelId channel, const ExpectedStream& expected) {
  auto source = [expected](std::uint64_t offset, std::span<std::byte> into) {
    expected.fill(offset, into);
  };
  return StreamRecord{channel, StreamVerifier(source, expected.size())};
}

bool ScriptRecord::connect_refused() const noexcept {
  return std::any_of(streams.begin(), streams.end(),
                     [](const StreamRecord& s) { return s.connect_refused; });
}

StreamTrace trace_of(const StreamRecord& record, const std::string& label) {
  StreamTrace trace = trace_stream(record.verifier, record.end, record.sent, label);
  trace.first_write = record.first_write;
  trace.client_shut_down = record.shut_down || record.half_closed_after_echo;
  trace.after = record.after;
  trace.elapsed = record.elapsed;
  const double seconds = std::chrono::duration<double>(record.elapsed).count();
  trace.bytes_per_second = seconds > 0 ? static_cast<double>(trace.verified) / seconds : 0;
  return trace;
}

}  // namespace echo::conformance::explore
