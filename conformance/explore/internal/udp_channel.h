// UdpChannel: one UDP socket of a running script, unconnected so that a reply
// from any address is seen (and marked when it is not from the target). It
// sends the script's datagrams in order (paced when ExecuteOptions asks) and
// keeps every reply, up to a cap, in the record's DatagramTrace.
//
// Example:
//   UdpChannel u(1, shared);
//   u.open(target, now);
//   u.begin_send(payload, 10, now);   // a burst of 10; wait while u.sending()
//   u.steps_done(now);                // then wait until u.finished()
#pragma once

#include <deque>
#include <string>
#include <unordered_map>

#include "conformance/explore/internal/channel.h"
#include "core/net/fd.h"

namespace echo::conformance::explore::internal {

class UdpChannel final : public Channel {
 public:
  UdpChannel(ChannelId id, std::uint32_t planned_datagrams, LoopShared& shared);

  void open(const Endpoint& target, Time now);
  // Queues `copies` datagrams of `payload`, sent as soon as the socket (and pacing) allows.
  void begin_send(const Payload& payload, std::uint32_t copies, Time now);
  [[nodiscard]] bool sending() const noexcept { return !queue_.empty() && !finished_; }
  void steps_done(Time now);
  void expire(Time now);

  void on_events(std::uint32_t events, Time now) override;
  void on_time(Time now);
  [[nodiscard]] Time next_wake() const noexcept;
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] DatagramRecord take_record() { return std::move(record_); }

 private:
  struct Pending {
    Bytes bytes;
    std::uint32_t copies = 0;
  };
  [[nodiscard]] bool may_send(Time now) const noexcept;
  void send_more(Time now);
  void receive_all(Time now);
  void check(Time now);
  void finish();

  LoopShared& shared_;
  Endpoint target_;
  Fd fd_;
  DatagramRecord record_;
  std::size_t reply_cap_;
  std::deque<Pending> queue_;
  // Datagrams sent and not yet echoed, by content.
  std::unordered_map<std::string, std::uint32_t> unanswered_;
  std::size_t unanswered_total_ = 0;
  std::size_t replies_since_send_ = 0;
  bool writable_ = true;
  bool steps_done_ = false;
  bool finished_ = false;
  Time last_activity_{};  // a datagram sent or a reply received
  Time last_send_{};
  Time retry_at_ = kNever;  // after ENOBUFS
};

}  // namespace echo::conformance::explore::internal
