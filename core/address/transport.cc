#include "core/address/transport.h"

namespace echo {

const char* to_string(Transport transport) noexcept {
  return transport == Transport::kTcp ? "tcp" : "udp";
}

std::optional<Transport> parse_transport(std::string_view text) noexcept {
  if (text == "tcp") return Transport::kTcp;
  if (text == "udp") return Transport::kUdp;
  return std::nullopt;
}

}  // namespace echo
