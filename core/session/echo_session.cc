#include "core/session/echo_session.h"

#include "core/util/check.h"

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

void EchoSession::on_echoed(std::span<const std::byte> received, std::size_t sent) {
  ECHO_CHECK(direct_receive_limit() >= received.size(),
             "on_echoed() without direct_receive_limit()");
  ECHO_CHECK(sent <= received.size(), "on_echoed() sent more than received");
  received_ += received.size();
  sent_ += sent;
  buffer_.write(received.subspan(sent));  // fits: the buffer was empty
}

}  // namespace echo
