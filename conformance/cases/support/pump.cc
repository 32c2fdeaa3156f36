#include "conformance/cases/support/pump.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "conformance/cases/support/verdicts.h"
#include "core/net/io.h"

namespace echo::conformance {
namespace {

using Clock = std::chrono::steady_clock;

class PumpLoop {
 public:
  PumpLoop(Conversation& c, const PayloadStream& payload, StreamVerifier& v, const PumpOptions& o,
           Syscalls& syscalls)
      : syscalls_(syscalls),
        conversation_(c),
        fd_(c.fd()),
        payload_(payload),
        verifier_(v),
        options_(o),
        out_(std::max<std::size_t>(o.max_write, 1)),
        in_(256 * 1024),
        reading_(!o.write_first) {}

  PumpResult run() {
    start_ = last_progress_ = last_write_ = Clock::now();
    result_.stop.why = loop();
    result_.sent = sent_;
    result_.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
    result_.stop.waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_progress_);
    return result_;
  }

 private:
  ReadStop::Why loop() {
    while (verifier_.received() < options_.total) {
      if (options_.deadline.expired()) return fail_with(ReadStop::Why::kTimeout, "deadline");
      if (!reading_ && (sent_ == options_.total || blocked_long_enough())) start_reading();
      pollfd p{fd_,
               static_cast<short>((reading_ ? POLLIN : 0) | (sent_ < options_.total ? POLLOUT : 0)),
               0};
      const int n = syscalls_.poll(&p, 1, poll_timeout_ms());
      if (n < 0 && errno != EINTR) return fail_with(ReadStop::Why::kError, "poll failed");
      if (n <= 0) {
        if (reading_ && Clock::now() - last_progress_ >= options_.stall) {
          return fail_with(ReadStop::Why::kTimeout, "stalled");
        }
        continue;
      }
      if (reading_ && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
        if (auto why = read_once()) return *why;
      }
      if ((p.revents & POLLOUT) && sent_ < options_.total) {
        if (auto why = write_once()) return *why;
      }
    }
    return verifier_.ok() ? ReadStop::Why::kReached : ReadStop::Why::kWrong;
  }

  bool blocked_long_enough() const { return Clock::now() - last_write_ >= options_.blocked_for; }

  void start_reading() {
    reading_ = true;
    result_.written_before_first_read = sent_;
    last_progress_ = Clock::now();
    if (options_.on_writes_blocked) options_.on_writes_blocked();
  }

  int poll_timeout_ms() const {
    auto wake = options_.deadline.when();
    if (reading_) wake = std::min(wake, last_progress_ + options_.stall);
    if (!reading_) wake = std::min(wake, last_write_ + options_.blocked_for);
    return Deadline::at(wake).poll_timeout_ms();
  }

  std::optional<ReadStop::Why> read_once() {
    const Transfer t = recv_some(fd_, in_, syscalls_);
    switch (t.kind) {
      case Transfer::Kind::kDone:
        last_progress_ = Clock::now();
        if (!conversation_.feed(verifier_, std::span(in_).first(t.bytes))) {
          return ReadStop::Why::kWrong;
        }
        return std::nullopt;
      case Transfer::Kind::kWouldBlock:
        return std::nullopt;
      case Transfer::Kind::kEof:
        return ReadStop::Why::kFin;
      case Transfer::Kind::kError:
        result_.stop.detail = t.error.message();
        return t.error == std::errc::connection_reset ? ReadStop::Why::kReset
                                                      : ReadStop::Why::kError;
    }
    return std::nullopt;
  }

  std::optional<ReadStop::Why> write_once() {
    if (chunk_left_ == 0) {
      const std::size_t size = options_.next_write_size ? options_.next_write_size() : out_.size();
      chunk_left_ = std::min<std::uint64_t>(std::clamp<std::size_t>(size, 1, out_.size()),
                                            options_.total - sent_);
    }
    const auto chunk = std::span(out_).first(static_cast<std::size_t>(chunk_left_));
    payload_.fill(sent_, chunk);
    const Transfer t = send_some(fd_, chunk, syscalls_);
    if (t.kind == Transfer::Kind::kError) {
      result_.send_error = t.error.message();
      result_.stop.detail = "send failed: " + t.error.message();
      return t.error == std::errc::broken_pipe || t.error == std::errc::connection_reset
                 ? ReadStop::Why::kReset
                 : ReadStop::Why::kError;
    }
    if (t.bytes == 0) return std::nullopt;
    sent_ += t.bytes;
    chunk_left_ -= t.bytes;
    last_write_ = last_progress_ = Clock::now();
    if (sent_ == options_.total && options_.shutdown_after_last_write) {
      syscalls_.shutdown(fd_, SHUT_WR);
    }
    return std::nullopt;
  }

  ReadStop::Why fail_with(ReadStop::Why why, std::string detail) {
    result_.stop.detail = std::move(detail);
    return why;
  }

  Syscalls& syscalls_;
  Conversation& conversation_;
  int fd_;
  const PayloadStream& payload_;
  StreamVerifier& verifier_;
  const PumpOptions& options_;
  std::vector<std::byte> out_;
  std::vector<std::byte> in_;
  bool reading_;
  std::uint64_t sent_ = 0;
  std::uint64_t chunk_left_ = 0;
  Clock::time_point start_, last_progress_, last_write_;
  PumpResult result_;
};

}  // namespace

PumpResult pump(Conversation& conversation, const PayloadStream& payload, StreamVerifier& verifier,
                const PumpOptions& options, Syscalls& syscalls) {
  return PumpLoop(conversation, payload, verifier, options, syscalls).run();
}

std::optional<Finding> pump_problem(const PumpResult& result, const StreamVerifier& verifier) {
  if (result.stop.why == ReadStop::Why::kReached && verifier.complete()) return std::nullopt;
  const std::string progress = " (sent " + std::to_string(result.sent) + " of " +
                               bytes_text(verifier.expected_length()) + ", " +
                               std::to_string(verifier.received()) + " came back)";
  if (result.stop.why == ReadStop::Why::kTimeout) {
    const std::string what =
        result.stop.detail == "stalled"
            ? "the stream stalled: no byte moved for " + ms_text(result.stop.waited)
            : "the case deadline passed";
    return Finding{what + progress + (verifier.ok() ? "" : "; " + verifier.describe()),
                   verifier.expected_line(), "only " + bytes_text(verifier.received())};
  }
  if (result.stop.why == ReadStop::Why::kReset && !result.send_error.empty()) {
    return Finding{"the server reset the connection: " + result.stop.detail + progress,
                   verifier.expected_line(), "RST after " + bytes_text(verifier.received())};
  }
  auto finding = echo_problem(result.stop, verifier, "the echoed stream");
  if (finding) finding->evidence += progress;
  return finding;
}

}  // namespace echo::conformance
