// --ping: a probe record (core/codec/probe_record.h) every --interval, each
// carrying its sequence number, so replies are matched by sequence even when
// several are in flight. Each reply must equal the probe byte for byte; its
// round-trip time is measured on this side's steady clock. Over TCP a reply
// later than --timeout ends the run (exit 4); over UDP the probe is counted
// as lost (a reply after that is reported and ignored), and only the loss of
// every probe is a failure.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/codec/probe_record.h"
#include "core/net/io.h"
#include "core/net/udp.h"
#include "reference/client/compare.h"
#include "reference/client/modes.h"
#include "reference/client/ping_stats.h"
#include "reference/client/transfer.h"

namespace echo::client {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPayloadSize = 32;
constexpr std::size_t kReceiveChunk = 65536;

class Pinger {
 public:
  Pinger(const ClientConfig& config, int fd)
      : config_(config),
        fd_(fd),
        timeout_(std::chrono::duration_cast<Clock::duration>(config.timeout)),
        interval_(std::chrono::duration_cast<Clock::duration>(config.interval)) {}

  ExitReason run();

 private:
  struct InFlight {
    std::vector<std::byte> wire;
    Clock::time_point sent_at;
  };

  bool udp() const { return config_.transport == Transport::kUdp; }
  bool all_sent() const { return next_sequence_ > static_cast<std::uint64_t>(config_.count); }
  bool done() const { return all_sent() && in_flight_.empty(); }
  Clock::time_point wake_time() const;
  ExitReason send_probe();
  ExitReason receive();
  ExitReason on_record(const ProbeRecord& record, std::span<const std::byte> wire);
  ExitReason expire(Clock::time_point now);
  ExitReason finish();

  const ClientConfig& config_;
  int fd_;
  Clock::duration timeout_;
  Clock::duration interval_;
  std::uint64_t next_sequence_ = 1;
  Clock::time_point next_send_ = Clock::now();
  std::map<std::uint64_t, InFlight> in_flight_;
  std::set<std::uint64_t> finished_;  // answered or lost: to tell UDP late replies from strays
  PingStats stats_;
  ProbeRecordDecoder decoder_;
  std::vector<std::byte> buffer_ = std::vector<std::byte>(kReceiveChunk);
};

Clock::time_point Pinger::wake_time() const {
  Clock::time_point wake = Clock::time_point::max();
  if (!all_sent()) wake = next_send_;
  for (const auto& [sequence, probe] : in_flight_) wake = std::min(wake, probe.sent_at + timeout_);
  return wake;
}

ExitReason Pinger::run() {
  while (!done()) {
    Clock::time_point now = Clock::now();
    if (!all_sent() && now >= next_send_) {
      if (ExitReason sent = send_probe(); !sent.ok()) return sent;
      continue;
    }
    if (ExitReason expired = expire(now); !expired.ok()) return expired;
    if (done()) break;
    Deadline wake = Deadline::at(wake_time());
    pollfd fd{fd_, POLLIN, 0};
    int ready = ::poll(&fd, 1, wake.poll_timeout_ms());
    if (ready < 0 && errno != EINTR) {
      return failure(ExitCode::kLocalError, std::string("poll failed: ") + std::strerror(errno));
    }
    if (ready > 0) {
      if (ExitReason received = receive(); !received.ok()) return received;
    }
  }
  return finish();
}

ExitReason Pinger::send_probe() {
  std::uint64_t sequence = next_sequence_++;
  Clock::time_point now = Clock::now();
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
  ProbeRecord record{sequence, static_cast<std::uint64_t>(now_ns.count()),
                     std::vector<std::byte>(kPayloadSize, std::byte{0x5a})};
  InFlight probe{{}, now};
  encode_probe_record(probe.wire, record);
  next_send_ += interval_;
  stats_.on_sent();
  Status sent = write_all(fd_, probe.wire, deadline_after(config_.timeout));
  in_flight_.emplace(sequence, std::move(probe));
  if (!sent) return failure_from(sent.error(), "sending to the server");
  return success();
}

ExitReason Pinger::receive() {
  if (udp()) {
    Result<Datagram> datagram = receive_datagram(fd_, buffer_);
    if (!datagram && datagram.error().code == std::errc::resource_unavailable_try_again) {
      return success();
    }
    if (!datagram) return failure_from(datagram.error(), "waiting for replies");
    std::span<const std::byte> wire = std::span(buffer_).first(datagram->size);
    ProbeRecordDecoder one;
    std::optional<ProbeRecord> record;
    feed_all(one, wire, [&](DecodeEvent<ProbeRecord> event) {
      if (auto* r = std::get_if<0>(&event); r && !record) record = std::move(*r);
    });
    if (!record || one.buffered() != 0 || one.skipped_total() != 0) {
      return failure(ExitCode::kMismatch, "a " + std::to_string(wire.size()) +
                                              "-byte reply is not a probe record that was sent");
    }
    return on_record(*record, wire);
  }
  Transfer t = recv_some(fd_, buffer_);
  if (t.kind == Transfer::Kind::kWouldBlock) return success();
  if (t.kind == Transfer::Kind::kError)
    return failure(exit_code_for(t.error), "receiving replies: " + t.error.message());
  if (t.kind == Transfer::Kind::kEof) {
    return failure(ExitCode::kClosedEarly, "the server closed the connection with " +
                                               std::to_string(in_flight_.size()) +
                                               " probe(s) unanswered");
  }
  ExitReason reason = success();
  feed_all(decoder_, std::span(buffer_).first(t.bytes), [&](DecodeEvent<ProbeRecord> event) {
    if (!reason.ok()) return;
    if (const auto* error = std::get_if<DecodeError>(&event)) {
      reason = failure(ExitCode::kMismatch, "reply stream corrupted: " + error->message);
      return;
    }
    std::vector<std::byte> wire;
    encode_probe_record(wire, std::get<0>(event));
    reason = on_record(std::get<0>(event), wire);
  });
  return reason;
}

ExitReason Pinger::on_record(const ProbeRecord& record, std::span<const std::byte> wire) {
  Clock::time_point now = Clock::now();
  std::string seq = "seq=" + std::to_string(record.sequence);
  auto probe = in_flight_.find(record.sequence);
  if (probe == in_flight_.end()) {
    if (udp() && finished_.count(record.sequence) != 0) {
      return write_output(STDOUT_FILENO, as_bytes(seq + " late or duplicate reply ignored\n"));
    }
    return failure(ExitCode::kMismatch, "reply with " + seq + ", which is not awaited");
  }
  if (!std::equal(wire.begin(), wire.end(), probe->second.wire.begin(), probe->second.wire.end())) {
    return failure(ExitCode::kMismatch, "reply to " + seq + " differs from the probe sent");
  }
  auto rtt = std::chrono::duration_cast<std::chrono::nanoseconds>(now - probe->second.sent_at);
  stats_.on_reply(rtt);
  in_flight_.erase(probe);
  finished_.insert(record.sequence);
  return write_output(STDOUT_FILENO, as_bytes(format_reply_line(record.sequence, rtt) + "\n"));
}

ExitReason Pinger::expire(Clock::time_point now) {
  for (auto probe = in_flight_.begin(); probe != in_flight_.end();) {
    if (now < probe->second.sent_at + timeout_) {
      ++probe;
      continue;
    }
    std::string seq = "seq=" + std::to_string(probe->first);
    if (!udp()) {
      return failure(ExitCode::kTimeout,
                     "no reply to " + seq + " within " + format_seconds(config_.timeout));
    }
    ExitReason written = write_output(
        STDOUT_FILENO,
        as_bytes(seq + " lost (no reply within " + format_seconds(config_.timeout) + ")\n"));
    if (!written.ok()) return written;
    finished_.insert(probe->first);
    probe = in_flight_.erase(probe);
  }
  return success();
}

ExitReason Pinger::finish() {
  PingSummary summary = stats_.summary();
  ExitReason written = write_output(STDOUT_FILENO, as_bytes(format_summary(summary)));
  if (!written.ok()) return written;
  if (summary.received == 0) {
    return failure(ExitCode::kTimeout, "no reply to any of the " + std::to_string(summary.sent) +
                                           " probes within " + format_seconds(config_.timeout));
  }
  return success();
}

}  // namespace

ExitReason run_ping(const ClientConfig& config, Connection& connection) {
  Pinger pinger(config, connection.fd.get());
  return pinger.run();
}

}  // namespace echo::client
