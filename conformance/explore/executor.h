// Executor: runs scripts (script.h) against a server, many at once on one
// thread. One epoll loop drives every connection and socket of every running
// script, without a thread per connection: a step that waits (a connect, a
// write the kernel cannot take yet, a pause) parks its script while the others
// go on. Every byte that comes back is checked as it arrives by a
// StreamVerifier and then dropped, so memory does not grow with what a server
// sends: a flooding server is read only until the evidence is complete.
//
// Per TCP connection, the steps run in order (each write is one send step,
// with TCP_NODELAY, so chunk boundaries are the script's); reading goes on in
// the background unless held or trickled. Once a connection's steps are done
// and its echo is complete, it is half-closed and the server's close awaited
// (FIN, RST, or nothing for close_wait); an incomplete echo is awaited until
// it stalls (no byte for stall_wait: the checker's notion of a stall), the
// server closes or resets, or the script's deadline passes while bytes still
// arrive (slow, which the verdict does not count as wrong). UDP sockets send
// their datagrams and collect replies until every datagram has its echo (and
// then a tenth of datagram_wait more, for duplicates) or none came for
// datagram_wait; a finished socket stays open (unread) for a second, so that
// its port cannot pass to a new socket while late replies are on their way.
//
// Example:
//   Executor executor(ExecuteOptions{.target = *endpoint});
//   executor.start(script, [](ScriptRecord r) { ... });
//   while (executor.running() > 0) executor.poll(std::chrono::milliseconds(100));
//   // or, for one script: ScriptRecord r = run_script(script, options);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "conformance/explore/record.h"
#include "conformance/explore/script.h"
#include "core/address/endpoint.h"

namespace echo::conformance::explore {

struct ExecuteOptions {
  Endpoint target;                               // TCP and UDP on the same address and port
  std::chrono::milliseconds stall_wait{1000};    // no byte for this long while awaiting: stalled
  std::chrono::milliseconds mismatch_wait{50};   // after a wrong byte, bytes are collected for
                                                 // the excerpt until none came for this long
  std::chrono::milliseconds close_wait{1000};    // for the server's close after a half-close
  std::chrono::milliseconds datagram_wait{200};  // for replies after the last datagram or reply
  std::chrono::milliseconds deadline{10000};     // a whole script's budget
  // Send each datagram only once the previous one on its socket got a reply
  // (or datagram_wait passed), so no socket buffer can overflow: how the
  // campaign confirms a missing reply before calling it the server's fault.
  bool pace_datagrams = false;
};

// The options scaled for slower machines or links (--timeout-scale): every wait × scale.
[[nodiscard]] ExecuteOptions scaled(ExecuteOptions options, double scale);

class Executor {
 public:
  using Done = std::function<void(ScriptRecord record)>;

  explicit Executor(ExecuteOptions options);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Starts `script` (valid: validate()); `done` runs from poll() when it
  // finished. Against options().target, or `target` when given (the
  // reference server of a differential run shares the loop).
  void start(std::shared_ptr<const Script> script, Done done);
  void start(std::shared_ptr<const Script> script, Done done, const Endpoint& target);
  // Waits up to `timeout` for sockets and timers, and advances every script.
  void poll(std::chrono::milliseconds timeout);
  [[nodiscard]] std::size_t running() const noexcept;
  [[nodiscard]] const ExecuteOptions& options() const noexcept;

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

// Runs one script to its end.
[[nodiscard]] ScriptRecord run_script(const Script& script, const ExecuteOptions& options);

// Runs scripts `at_once` at a time; the records are in the order of `scripts`.
[[nodiscard]] std::vector<ScriptRecord> run_scripts(std::span<const Script> scripts,
                                                    const ExecuteOptions& options,
                                                    std::size_t at_once);

}  // namespace echo::conformance::explore
