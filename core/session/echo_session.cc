#include "core/session/echo_session.h"

namespace echo {

EchoSession::EchoSession(std::size_t buffer_capacity) : buffer_(buffer_capacity) {}

std::span<std::byte> EchoSession::receive_space() {
  if (!wants_read()) return {};
  return buffer_.writable();
}

void EchoSession::on_received(std::size_t n) {
  buffer_.commit(n);
  received_ += n;
}

std::span<const std::byte> EchoSession::pending_output() const noexcept {
  if (failed_) return {};
  return buffer_.readable();
}

void EchoSession::on_sent(std::size_t n) {
  buffer_.consume(n);
  sent_ += n;
}

}  // namespace echo
