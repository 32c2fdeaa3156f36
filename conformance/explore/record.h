// What running a script showed (executor.h makes these; verdict.h judges
// them): per TCP connection the stream as a StreamVerifier checked it and how
// the connection ended, per UDP socket the datagrams sent and the replies.
// Sans-I/O: the shrinker's tests build records from a fake server in memory.
//
// Example (a fake server that echoes nothing on connection c1):
//   ExpectedStream expected = expected_stream(script, 0);
//   StreamRecord r = StreamRecord::start(0, expected);
//   r.end = StreamEnd::kStalled;
//   r.sent = expected.size();
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "conformance/explore/script.h"
#include "conformance/model/trace.h"
#include "conformance/oracle/stream_verifier.h"

namespace echo::conformance::explore {

// Every byte a script sends on one TCP connection, in order: the payloads of
// its send steps. Shared with the verifier of that connection; keeps the
// script alive.
class ExpectedStream {
 public:
  ExpectedStream() = default;
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  void fill(std::uint64_t offset, std::span<std::byte> into) const noexcept;

 private:
  friend ExpectedStream expected_stream(std::shared_ptr<const Script> script, ChannelId channel);
  struct Segment {
    std::uint64_t start = 0;
    const Payload* payload = nullptr;
  };
  std::shared_ptr<const Script> script_;
  std::vector<Segment> segments_;
  std::uint64_t size_ = 0;
};

// The bytes `channel` of `script` sends (empty for a UDP socket).
[[nodiscard]] ExpectedStream expected_stream(std::shared_ptr<const Script> script,
                                             ChannelId channel);

// One TCP connection.
struct StreamRecord {
  ChannelId channel = 0;
  StreamVerifier verifier;        // fed every byte that came back
  std::uint64_t sent = 0;         // bytes the kernel took (fewer than planned if it ended early)
  std::uint64_t first_write = 0;  // the size of the first send step
  StreamEnd end = StreamEnd::kComplete;
  // What the server did after the whole echo: for connections the script
  // shut down, and for the rest, which the executor half-closes once the
  // echo is complete (a correct server then closes too).
  AfterEcho after = AfterEcho::kNotWatched;
  bool shut_down = false;               // the script half-closed it (a shutdown step)
  bool half_closed_after_echo = false;  // the executor half-closed it, the echo complete
  bool client_closed = false;    // the script closed or reset it: only a correct prefix is required
  bool connect_refused = false;  // ECONNREFUSED: nothing listened
  std::chrono::milliseconds elapsed{0};

  [[nodiscard]] static StreamRecord start(ChannelId channel, const ExpectedStream& expected);
};

// One UDP socket.
struct DatagramRecord {
  ChannelId channel = 0;
  DatagramTrace trace;                // sent datagrams and replies (replies from elsewhere marked)
  std::uint64_t replies_dropped = 0;  // replies beyond the number kept (a flood)
};

struct ScriptRecord {
  std::vector<StreamRecord> streams;      // in channel order
  std::vector<DatagramRecord> datagrams;  // in channel order
  bool deadline_passed = false;           // the script's deadline cut it short
  std::chrono::milliseconds elapsed{0};

  // A connect was refused: the server may have died.
  [[nodiscard]] bool connect_refused() const noexcept;
};

// The StreamTrace (model/trace.h) of a connection, labelled with its name ("c1").
[[nodiscard]] StreamTrace trace_of(const StreamRecord& record, const std::string& label);

}  // namespace echo::conformance::explore
