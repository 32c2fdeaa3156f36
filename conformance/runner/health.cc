#include "conformance/runner/health.h"

#include <algorithm>
#include <vector>

#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/datagram.h"
#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

milliseconds step_wait(double timeout_scale, std::chrono::microseconds round_trip) {
  const auto base = static_cast<milliseconds::rep>(1000 * (timeout_scale > 0 ? timeout_scale : 1));
  return milliseconds(base) + std::chrono::duration_cast<milliseconds>(round_trip);
}

const std::string kProbe = "still there?\n";

Health tcp_health(const Endpoint& target, milliseconds wait) {
  Result<Conversation> c = Conversation::open(target, Deadline::after(wait));
  if (!c) {
    return {false, c.error().code == std::errc::connection_refused,
            "a new connection failed: " + c.error().message};
  }
  if (auto problem = echo_on(*c, as_bytes(kProbe), Deadline::after(wait))) {
    Health health{false, false, "a new client's short echo failed: " + problem->evidence};
    // A server that exits resets the connections queued for it; a new connect tells.
    Result<Conversation> again = Conversation::open(target, Deadline::after(wait));
    if (!again && again.error().code == std::errc::connection_refused) {
      health.refused = true;
      health.evidence += ", and a moment later new connections were refused";
    }
    return health;
  }
  // Closing now sends FIN, not RST: the echo was read whole, nothing is left unread.
  return {true, false, ""};
}

Health udp_health(const Endpoint& target, milliseconds wait) {
  Result<DatagramClient> client = DatagramClient::open(target, /*connected=*/true);
  if (!client) return {false, false, client.error().message};
  if (Status sent = client->send(as_bytes(kProbe)); !sent) {
    return {false, sent.error().code == std::errc::connection_refused, sent.error().message};
  }
  Result<Reply> reply = client->receive(Deadline::after(wait));
  if (!reply) {
    return {false, reply.error().code == std::errc::connection_refused,
            "a datagram got no reply: " + reply.error().message};
  }
  const auto probe = as_bytes(kProbe);
  if (!std::equal(reply->data.begin(), reply->data.end(), probe.begin(), probe.end())) {
    return {false, false, "a datagram's reply differed"};
  }
  return {true, false, ""};
}

std::optional<std::chrono::microseconds> median(std::vector<std::chrono::microseconds> samples) {
  if (samples.empty()) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

Health check_serving(const Endpoint& target, Transport transport, double timeout_scale,
                     std::chrono::microseconds round_trip, bool quick) {
  const milliseconds wait = step_wait(quick ? timeout_scale * 0.3 : timeout_scale, round_trip);
  return transport == Transport::kTcp ? tcp_health(target, wait) : udp_health(target, wait);
}

std::optional<std::chrono::microseconds> measure_round_trip(const Endpoint& target,
                                                            Transport transport,
                                                            double timeout_scale) {
  constexpr int kSamples = 5;
  // A distant server may take seconds; beyond that, distance is not the problem.
  const milliseconds wait = step_wait(timeout_scale, std::chrono::seconds(2));
  std::vector<std::chrono::microseconds> samples;
  auto timed = [&samples](Clock::time_point start) {
    samples.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
  };
  if (transport == Transport::kTcp) {
    Result<Conversation> c = Conversation::open(target, Deadline::after(wait));
    if (!c) return std::nullopt;
    for (int i = 0; i < kSamples; ++i) {
      const auto start = Clock::now();
      if (echo_on(*c, as_bytes(kProbe), Deadline::after(wait))) break;
      timed(start);
    }
    return median(samples);
  }
  Result<DatagramClient> client = DatagramClient::open(target, /*connected=*/true);
  if (!client) return std::nullopt;
  for (int i = 0; i < kSamples; ++i) {
    const auto start = Clock::now();
    if (!client->send(as_bytes(kProbe)) || !client->receive(Deadline::after(wait))) break;
    timed(start);
  }
  return median(samples);
}

}  // namespace echo::conformance
