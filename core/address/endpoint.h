// Endpoint: an IPv4 or IPv6 socket address (address and port), held as the
// matching sockaddr so it can be handed straight to the socket calls.
//
// Example:
//   Endpoint e = Endpoint::v4(loopback, 7);
//   connect(fd, e.sockaddr_ptr(), e.sockaddr_len());
//   e.to_string();  // "127.0.0.1:7"; IPv6 prints as "[::1]:7"
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace echo {

class Endpoint {
 public:
  Endpoint() = default;  // no address yet: family() == AF_UNSPEC

  [[nodiscard]] static Endpoint v4(in_addr address, uint16_t port);
  [[nodiscard]] static Endpoint v6(const in6_addr& address, uint16_t port);
  [[nodiscard]] static Endpoint loopback_v4(uint16_t port);
  [[nodiscard]] static Endpoint loopback_v6(uint16_t port);
  // Reads an AF_INET or AF_INET6 sockaddr; nullopt for any other family or a short length.
  [[nodiscard]] static std::optional<Endpoint> from_sockaddr(const sockaddr* address,
                                                             socklen_t length);

  [[nodiscard]] int family() const noexcept;  // AF_INET, AF_INET6 or AF_UNSPEC
  [[nodiscard]] bool empty() const noexcept { return family() == AF_UNSPEC; }
  [[nodiscard]] uint16_t port() const noexcept;
  void set_port(uint16_t port) noexcept;
  [[nodiscard]] bool is_loopback() const noexcept;  // 127.0.0.0/8 or ::1

  [[nodiscard]] const sockaddr* sockaddr_ptr() const noexcept;
  [[nodiscard]] socklen_t sockaddr_len() const noexcept;

  // "127.0.0.1:7" or "[::1]:7"; the address part alone with address_string().
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] std::string address_string() const;

  friend bool operator==(const Endpoint& a, const Endpoint& b) noexcept;

 private:
  std::variant<std::monostate, sockaddr_in, sockaddr_in6> address_;
};

}  // namespace echo
