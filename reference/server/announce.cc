#include "reference/server/announce.h"

#include "core/address/parse.h"

namespace echo::server {

namespace {
constexpr std::string_view kPrefix = "listening ";
}  // namespace

std::string_view transport_name(Transport transport) noexcept {
  return transport == Transport::kTcp ? "tcp" : "udp";
}

std::string format_listening_line(Transport transport, const Endpoint& bound) {
  std::string line(kPrefix);
  line += transport_name(transport);
  line += ' ';
  line += bound.to_string();
  return line;
}

std::optional<std::pair<std::string, Endpoint>> parse_listening_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.starts_with(kPrefix)) return std::nullopt;
  line.remove_prefix(kPrefix.size());

  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view transport = line.substr(0, space);
  if (transport != "tcp" && transport != "udp") return std::nullopt;

  // Port 0 is accepted by the parser but never announced: a bound socket has a real port.
  Result<Endpoint> endpoint =
      parse_endpoint(line.substr(space + 1), std::nullopt, PortRule::kNonZero);
  if (!endpoint) return std::nullopt;
  return std::pair{std::string(transport), *endpoint};
}

}  // namespace echo::server
