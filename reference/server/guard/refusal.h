// Why the guard did not answer a datagram or accept a connection: one value
// per reason, each counted apart (counters.h) and named in the log.
#pragma once

#include <cstdint>
#include <string_view>

namespace echo::server {

enum class Refusal : std::uint8_t {
  kNone,          // answered
  kOwnPort,       // from a port this server listens on: another echo server (or itself)
  kServicePort,   // from the port of a service that answers anything (reflecting_services.h)
  kPortZero,      // from port 0: no reply can reach it, and no client sends from it
  kNotUnicast,    // from a broadcast, multicast or unspecified address, or sent to a
                  // broadcast or multicast address
  kReturnedEcho,  // our own recent reply coming back again and again: a loop
  kRateLimited,   // over the source address's datagram rate (--udp-rate-limit)
};

// A few words for the log: "source port is one of ours", ...
[[nodiscard]] std::string_view describe(Refusal refusal) noexcept;

}  // namespace echo::server
