#include "reference/server/udp_echo.h"

#include <cerrno>
#include <span>

#include "core/net/udp.h"
#include "reference/server/error_number.h"

namespace echo::server {

void DatagramEcho::serve_ready(int fd, int budget) {
  for (int i = 0; i < budget; ++i) {
    Result<Datagram> datagram = receive_datagram(fd, std::span(buffer_));
    if (!datagram) {
      if (error_number(datagram.error()) != EAGAIN) add(counters_.errors);
      return;
    }
    add(counters_.datagrams_in);
    if (datagram->truncated) {
      add(counters_.datagrams_dropped);
      continue;
    }
    const std::span<const std::byte> reply(buffer_.data(), datagram->size);
    Status sent =
        send_datagram(fd, reply, datagram->peer, datagram->destination, datagram->interface_index);
    if (!sent) {
      // EAGAIN: the send buffer is full; UDP may drop, and so do we.
      add(counters_.datagrams_dropped);
      if (error_number(sent.error()) != EAGAIN) add(counters_.errors);
      continue;
    }
    add(counters_.datagrams_out);
  }
}

}  // namespace echo::server
