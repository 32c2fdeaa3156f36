// DelayProxy: an in-process TCP and UDP relay on loopback that delays every
// byte and datagram by a fixed time in each direction, so a server next door
// looks like one across the world (50 ms each way: a 100 ms round trip). It
// relays half-closes (FIN after the data before it) and resets, and buffers
// without bound: it is for tests, whose data is bounded. Connects themselves
// are not delayed.
//
// Example:
//   auto proxy = DelayProxy::start(server_endpoint, std::chrono::milliseconds(50));
//   run_cases(cases, {Target{"far", (*proxy)->endpoint(), false}}, options);
#pragma once

#include <chrono>
#include <memory>
#include <thread>

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::conformance::testing {

class DelayProxy {
 public:
  // Listens on 127.0.0.1 port 0 (TCP and UDP on one port) and relays to `target`.
  [[nodiscard]] static Result<std::unique_ptr<DelayProxy>> start(
      const Endpoint& target, std::chrono::milliseconds one_way_delay);
  ~DelayProxy();  // stops relaying and closes every socket
  DelayProxy(const DelayProxy&) = delete;
  DelayProxy& operator=(const DelayProxy&) = delete;

  [[nodiscard]] const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  class Relay;
  DelayProxy(std::unique_ptr<Relay> relay, Endpoint endpoint);

  std::unique_ptr<Relay> relay_;
  Endpoint endpoint_;
  std::thread thread_;
};

}  // namespace echo::conformance::testing
