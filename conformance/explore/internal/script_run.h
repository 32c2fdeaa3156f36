// ScriptRun: one script being executed: the cursor over its steps and its
// channels. advance() runs as many steps as can run now (a connect, a write
// the kernel has not taken yet, a pause, a paced datagram park the cursor),
// tells each channel when its last step has passed, and cuts everything
// short at the script's deadline. The loop calls advance() after every event
// or timer of the run, and collects the record once finished().
//
// Example:
//   ScriptRun run(id, script, shared, now);
//   run.advance(now);                       // and again on every event / at next_wake()
//   if (run.finished()) done(run.take_record());
#pragma once

#include <memory>
#include <vector>

#include "conformance/explore/internal/tcp_channel.h"
#include "conformance/explore/internal/udp_channel.h"

namespace echo::conformance::explore::internal {

class ScriptRun {
 public:
  ScriptRun(std::uint64_t id, std::shared_ptr<const Script> script, const Endpoint& target,
            LoopShared& shared, Time now);

  void advance(Time now);
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] Time next_wake() const noexcept;
  [[nodiscard]] ScriptRecord take_record();

 private:
  // Starts the step at the cursor; then step_done() says when the cursor may move on.
  void start_step(const Step& step, Time now);
  [[nodiscard]] bool step_done(const Step& step, Time now) const;
  void passed(const Step& step, Time now);  // the cursor moved past `step`
  void expire(Time now);
  [[nodiscard]] bool all_channels_finished() const noexcept;

  std::uint64_t id_;
  std::shared_ptr<const Script> script_;
  Endpoint target_;
  LoopShared& shared_;
  Time started_;
  Time deadline_;
  std::size_t cursor_ = 0;
  bool step_started_ = false;
  Time pause_until_{};
  bool deadline_passed_ = false;
  bool finished_ = false;
  // By channel id: exactly one of the two is set once the channel is opened.
  std::vector<std::unique_ptr<TcpChannel>> tcp_;
  std::vector<std::unique_ptr<UdpChannel>> udp_;
  std::vector<ExpectedStream> expected_;  // by channel id (TCP)
  std::vector<std::uint32_t> datagrams_;  // sends planned, by channel id (datagrams for UDP)
  std::vector<std::size_t> last_step_;    // the index of each channel's last step
};

}  // namespace echo::conformance::explore::internal
