// ToyServer: a tiny in-process server on loopback (TCP and UDP on one port
// 0), for the catalogue's own tests: it behaves well or breaks in one chosen
// way. The full set of broken servers lives in conformance/fixtures.
#pragma once

#include <atomic>
#include <thread>

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::conformance::testing {

enum class ToyBehaviour {
  kEcho,           // a correct concurrent echo server (TCP and UDP)
  kAppendNewline,  // TCP: echoes each read followed by "\n"; UDP: correct
  kNeverAnswer,    // accepts TCP connections and reads nothing; UDP bound, never answers
  kOneAtATime,     // TCP: serves one connection until its EOF before accepting the next
};

class ToyServer {
 public:
  // Binds TCP and UDP on 127.0.0.1 (::1 with `ipv6`) port 0 and starts serving.
  [[nodiscard]] static Result<std::unique_ptr<ToyServer>> start(ToyBehaviour behaviour,
                                                                bool ipv6 = false);
  ~ToyServer();  // stops the thread and closes every socket
  ToyServer(const ToyServer&) = delete;
  ToyServer& operator=(const ToyServer&) = delete;

  [[nodiscard]] const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  ToyServer(ToyBehaviour behaviour, Fd listener, Fd udp, Endpoint endpoint);
  void serve();

  ToyBehaviour behaviour_;
  Fd listener_;
  Fd udp_;
  Fd wake_read_;
  Fd wake_write_;
  Endpoint endpoint_;
  std::thread thread_;
};

}  // namespace echo::conformance::testing
