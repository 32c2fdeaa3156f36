#include "conformance/cases/support/pump.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "conformance/cases/support/waits.h"
#include "conformance/oracle/stream_trace.h"
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
        reading_(!o.write_first),
        send_limit_(o.total) {}

  PumpResult run() {
    start_ = last_progress_ = last_write_ = reading_since_ = Clock::now();
    result_.stop.why = loop();
    if (wrong_since_) {  // however the stream ended after it, a wrong byte came
      result_.stop.why = ReadStop::Why::kWrong;
      result_.deadline_passed = false;
    }
    result_.wound_down = wound_down_;
    if (result_.deadline_passed || wrong_since_) drain();
    result_.sent = sent_;
    result_.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
    result_.stop.waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_progress_);
    return result_;
  }

 private:
  ReadStop::Why loop() {
    while (verifier_.received() < send_limit_) {
      if (wrong_since_ && context_collected()) return ReadStop::Why::kWrong;
      shut_down_when_due();
      if (options_.deadline.expired()) {
        result_.deadline_passed = true;
        return fail_with(ReadStop::Why::kTimeout, "deadline");
      }
      wind_down_if_too_slow();
      if (!reading_ && (sent_ == send_limit_ || blocked_long_enough())) start_reading();
      pollfd p{fd_,
               static_cast<short>((reading_ ? POLLIN : 0) | (sent_ < send_limit_ ? POLLOUT : 0)),
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
      if ((p.revents & POLLOUT) && sent_ < send_limit_) {
        if (auto why = write_once()) return *why;
      }
    }
    if (wound_down_ && verifier_.ok()) {  // every byte sent came back: correct, but slow
      result_.deadline_passed = true;
      return fail_with(ReadStop::Why::kTimeout, "wound down");
    }
    return verifier_.ok() ? ReadStop::Why::kReached : ReadStop::Why::kWrong;
  }

  bool blocked_long_enough() const { return Clock::now() - last_write_ >= options_.blocked_for; }

  // A stream too slow to finish by the deadline stops sending (and shuts down
  // its side) while what is on its way back can still arrive in time, so the
  // server finishes a shorter conversation cleanly (see judge_rate_after).
  void wind_down_if_too_slow() {
    if (options_.judge_rate_after.count() <= 0 || !reading_ || wrong_since_ || wound_down_ ||
        sent_ >= send_limit_ || options_.deadline.is_never()) {
      return;
    }
    const auto elapsed = Clock::now() - reading_since_;
    if (elapsed < options_.judge_rate_after) return;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    const double rate = static_cast<double>(verifier_.verified()) / seconds;
    const double left = std::chrono::duration<double>(options_.deadline.remaining()).count();
    const double all =
        rate > 0 ? static_cast<double>(options_.total - verifier_.verified()) / rate : 1e9;
    const double in_flight =
        rate > 0 ? static_cast<double>(sent_ - verifier_.received()) / rate : 1e9;
    const bool hopeless = all > 4 * left;
    const bool late = all > left && in_flight > left / 2;
    if (!hopeless && !late) return;
    result_.projected = std::chrono::seconds(static_cast<long long>(std::min(seconds + all, 1e9)));
    // Hopeless: even what is in flight would take long; stop now (drain() still
    // gives the server a clean end). Late: let what is in flight come back.
    if (hopeless) send_limit_ = verifier_.received();
    wound_down_ = true;
    send_limit_ = std::min(send_limit_, sent_);
    chunk_left_ = 0;
    if (!shut_down_) syscalls_.shutdown(fd_, SHUT_WR);
    shut_down_ = true;
  }

  // Ends the stream politely (see PumpOptions::drain).
  void drain() {
    if (options_.drain.count() <= 0) return;
    if (!shut_down_) syscalls_.shutdown(fd_, SHUT_WR);
    const Deadline until = Deadline::after(options_.drain);
    while (wait_ready(fd_, POLLIN, until, syscalls_)) {
      const Transfer t = recv_some(fd_, in_, syscalls_);
      if (t.kind != Transfer::Kind::kDone && t.kind != Transfer::Kind::kWouldBlock) return;
    }
  }

  // Enough of what followed the first wrong byte, or enough time spent on it.
  bool context_collected() const {
    return verifier_.received_after().size() >= StreamVerifier::kLongExcerpt ||
           Clock::now() - *wrong_since_ >= std::chrono::milliseconds(100);
  }

  void start_reading() {
    reading_ = true;
    reading_since_ = Clock::now();
    result_.written_before_first_read = sent_;
    last_progress_ = Clock::now();
    if (options_.on_writes_blocked) options_.on_writes_blocked();
  }

  // SHUT_WR once everything is sent and the shutdown delay has passed.
  void shut_down_when_due() {
    if (shut_down_ || !options_.shutdown_after_last_write || sent_ < send_limit_) return;
    if (Clock::now() - last_write_ < options_.shutdown_delay) return;
    syscalls_.shutdown(fd_, SHUT_WR);
    shut_down_ = true;
  }

  int poll_timeout_ms() const {
    auto wake = options_.deadline.when();
    if (!shut_down_ && options_.shutdown_after_last_write && sent_ == send_limit_) {
      wake = std::min(wake, last_write_ + options_.shutdown_delay);
    }
    if (reading_) wake = std::min(wake, last_progress_ + options_.stall);
    if (!reading_) wake = std::min(wake, last_write_ + options_.blocked_for);
    return Deadline::at(wake).poll_timeout_ms();
  }

  std::optional<ReadStop::Why> read_once() {
    const Transfer t = recv_some(fd_, in_, syscalls_);
    switch (t.kind) {
      case Transfer::Kind::kDone:
        last_progress_ = Clock::now();
        // After a wrong byte the stream goes on a little, so that the
        // findings see what the server sent instead (context_collected()).
        if (!conversation_.feed(verifier_, std::span(in_).first(t.bytes)) && !wrong_since_) {
          wrong_since_ = Clock::now();
        }
        return std::nullopt;
      case Transfer::Kind::kWouldBlock:
        return std::nullopt;
      case Transfer::Kind::kEof:
        return wrong_since_ ? ReadStop::Why::kWrong : ReadStop::Why::kFin;
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
                                            send_limit_ - sent_);
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
    if (sent_ == 0) result_.first_write = t.bytes;
    sent_ += t.bytes;
    chunk_left_ -= t.bytes;
    last_write_ = last_progress_ = Clock::now();
    shut_down_when_due();
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
  bool shut_down_ = false;
  bool wound_down_ = false;
  std::uint64_t send_limit_;                      // the stream's length, or less once wound down
  std::optional<Clock::time_point> wrong_since_;  // when the first wrong byte came
  std::uint64_t sent_ = 0;
  std::uint64_t chunk_left_ = 0;
  Clock::time_point start_, last_progress_, last_write_, reading_since_;
  PumpResult result_;
};

}  // namespace

PumpResult pump(Conversation& conversation, const PayloadStream& payload, StreamVerifier& verifier,
                const PumpOptions& options, Syscalls& syscalls) {
  return PumpLoop(conversation, payload, verifier, options, syscalls).run();
}

std::optional<Problem> pump_problem(const PumpResult& result, const StreamVerifier& verifier,
                                    const PumpOptions& options, const std::string& label) {
  if (result.stop.why == ReadStop::Why::kReached && verifier.complete()) return std::nullopt;
  const bool slow = result.deadline_passed && verifier.ok();
  StreamEnd end = stream_end(result.stop.why);
  if (result.deadline_passed) end = StreamEnd::kDeadline;
  StreamTrace trace = trace_stream(verifier, end, result.sent, label);
  trace.first_write = result.first_write;
  trace.client_shut_down =
      (options.shutdown_after_last_write && result.sent == options.total) || result.wound_down;
  trace.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(result.elapsed);
  const double seconds = std::chrono::duration<double>(result.elapsed).count();
  trace.bytes_per_second = seconds > 0 ? static_cast<double>(verifier.verified()) / seconds : 0;

  const std::string progress = " (sent " + std::to_string(result.sent) + " of " +
                               bytes_text(verifier.expected_length()) + ", " +
                               std::to_string(verifier.received()) + " came back)";
  Problem problem;
  if (result.stop.why == ReadStop::Why::kTimeout) {
    const std::string rate =
        std::to_string(static_cast<long long>(trace.bytes_per_second / 1000)) + " kB/s";
    const std::string what =
        slow && result.wound_down
            ? "the echo was correct but arriving at " + rate +
                  ": the whole stream would take "
                  "about " +
                  std::to_string(result.projected.count()) +
                  " s, past the case's deadline, so the client stopped sending and shut down its "
                  "side after " +
                  std::to_string(result.sent) + " bytes"
        : slow ? "the case deadline passed while the echo was still arriving, at " + rate +
                     ": correct so far, but slow"
        : result.deadline_passed
            ? "the case deadline passed"
            : "the stream stalled: no byte moved for " + ms_text(result.stop.waited);
    problem = Problem{what + progress + (verifier.ok() ? "" : "; " + verifier.describe()),
                      verifier.expected_line(), "only " + bytes_text(verifier.received())};
    problem.slow = slow;
  } else if (result.stop.why == ReadStop::Why::kReset && !result.send_error.empty()) {
    problem = Problem{"the server reset the connection: " + result.stop.detail + progress,
                      verifier.expected_line(), "RST after " + bytes_text(verifier.received())};
  } else {
    std::optional<Problem> echo = echo_problem(result.stop, verifier, label);
    if (!echo) return std::nullopt;
    problem = std::move(*echo);
    problem.streams.clear();
    problem.evidence += progress;
  }
  problem.streams.push_back(std::move(trace));
  return problem;
}

}  // namespace echo::conformance
