// ConnectTimes: how long a case's TCP connects took. When a server's listen
// backlog is full, Linux drops the SYN and the client sends it again after the
// initial retransmission timeout of 1 s, so such a connect takes about a
// second. Cases wait connect_wait() (3 s, scaled) for a connect, so this does
// not fail them; they say it in their evidence and figures instead.
//
// Example:
//   ConnectTimes times;
//   Result<Conversation> c = Conversation::open(context);  // within connect_wait()
//   if (c) times.add(c->connect_took());
//   Outcome outcome = pass(times.remark());  // "connect 7 of 50 took 1.02 s: SYN ..."
//   outcome.figures = times.figures();
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "conformance/model/case.h"

namespace echo::conformance {

// A connect at least this slow almost surely needed a SYN retransmission.
inline constexpr std::chrono::milliseconds kSlowConnect{900};

// "connect took 1.02 s: SYN retransmitted (the server's listen backlog was
// full, or the SYN was lost)", or "" for a connect faster than kSlowConnect.
[[nodiscard]] std::string slow_connect_text(std::chrono::milliseconds took);

class ConnectTimes {
 public:
  void add(std::chrono::milliseconds took);
  [[nodiscard]] int count() const noexcept { return count_; }
  [[nodiscard]] int slow() const noexcept { return slow_; }
  // "" when no connect was slow; otherwise the slowest, e.g. "connect 7 of 50
  // took 1.02 s (6 connects took over 900 ms): SYN retransmitted (...)".
  [[nodiscard]] std::string remark() const;
  // slowest_connect (ms) and slow_connects (count); none when no connect was slow.
  [[nodiscard]] std::vector<Figure> figures() const;

 private:
  std::chrono::milliseconds slowest_{0};
  int slowest_number_ = 0;  // 1-based
  int count_ = 0;
  int slow_ = 0;
};

}  // namespace echo::conformance
