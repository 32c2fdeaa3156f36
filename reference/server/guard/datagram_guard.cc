#include "reference/server/guard/datagram_guard.h"

#include <string>

#include "reference/server/guard/reflecting_services.h"
#include "reference/server/guard/source.h"

namespace echo::server {
namespace {

std::atomic<std::uint64_t>& counter_for(Counters& counters, Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::kOwnPort:
      return counters.datagrams_refused_own_port;
    case Refusal::kServicePort:
      return counters.datagrams_refused_service_port;
    case Refusal::kPortZero:
      return counters.datagrams_refused_port_zero;
    case Refusal::kNotUnicast:
      return counters.datagrams_refused_not_unicast;
    case Refusal::kReturnedEcho:
      return counters.datagrams_refused_loop;
    case Refusal::kRateLimited:
    case Refusal::kNone:
      break;
  }
  return counters.datagrams_rate_limited;
}

std::string service_name(std::uint16_t port) {
  for (const ReflectingService& service : kReflectingServices) {
    if (service.port == port) return " (" + std::string(service.name) + ")";
  }
  return "";
}

}  // namespace

DatagramGuard::DatagramGuard(const GuardSettings& settings, Counters& counters, const Logger* log)
    : settings_(settings),
      policy_(settings.policy),
      loops_(settings.loops, LoopDetector::kDefaultCapacity, settings.seed),
      limiter_(settings.rate, SourceRateLimiter::kDefaultCapacity, settings.seed ^ 0x5bd1e995u),
      counters_(counters),
      log_(log) {}

Refusal DatagramGuard::check(const sockaddr* peer, socklen_t peer_length,
                             const Endpoint& destination, std::span<const std::byte> data,
                             std::size_t datagrams, std::chrono::nanoseconds now) {
  if (!active()) return Refusal::kNone;
  const std::optional<Source> source = Source::from_sockaddr(peer, peer_length);
  if (!source) return Refusal::kNone;  // not IP: nothing to judge (and no reply can go)
  if (settings_.loop_guard) {
    if (Refusal r = policy_.check(*source, destination); r != Refusal::kNone) return r;
  }
  if (limiter_.enabled() && (settings_.rate_limit_loopback || !source->is_loopback()) &&
      !limiter_.allow(source->address_key(), now, static_cast<std::uint32_t>(datagrams))) {
    return Refusal::kRateLimited;
  }
  if (settings_.loop_guard &&
      !loops_.answer(source->peer_key(), LoopDetector::fingerprint(data, settings_.seed), now)) {
    return Refusal::kReturnedEcho;
  }
  return Refusal::kNone;
}

bool DatagramGuard::admit(const sockaddr* peer, socklen_t peer_length, const Endpoint& destination,
                          std::span<const std::byte> data, std::size_t datagrams,
                          std::chrono::nanoseconds now) {
  const Refusal refusal = check(peer, peer_length, destination, data, datagrams, now);
  if (refusal == Refusal::kNone) return true;
  count_and_log(refusal, peer, peer_length, datagrams);
  return false;
}

void DatagramGuard::count_and_log(Refusal refusal, const sockaddr* peer, socklen_t peer_length,
                                  std::size_t datagrams) {
  add(counter_for(counters_, refusal), datagrams);
  unlogged_ += datagrams;
  if (log_ == nullptr || !log_lines_.allow()) return;
  const std::optional<Endpoint> from = Endpoint::from_sockaddr(peer, peer_length);
  const std::uint16_t port = from ? from->port() : 0;
  std::string line = "udp: not answering " + (from ? from->to_string() : std::string("?")) + ": " +
                     std::string(describe(refusal));
  if (refusal == Refusal::kServicePort) line += service_name(port);
  line += "; " + std::to_string(unlogged_) + " datagram" + (unlogged_ == 1 ? "" : "s") +
          " refused since the last such line";
  log_->warning(line);
  unlogged_ = 0;
}

}  // namespace echo::server
