#include "tools/bench/flow.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/net/udp.h"

namespace echo::bench {
namespace {

std::string hex_byte(std::byte b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  const auto v = std::to_integer<unsigned>(b);
  return std::string("0x") + kDigits[v >> 4] + kDigits[v & 15];
}

// How sendmsg() with UDP_SEGMENT fails where the kernel, the route or the
// socket cannot segment: no checksum offload (EIO), SO_NO_CHECK (EINVAL), a
// segment plus headers above the route MTU (EMSGSIZE since Linux 6.x, EINVAL
// before; `--gso -s 1473` over a 1500-byte MTU), no UDP_SEGMENT at all.
bool refuses_gso(int error) noexcept {
  return error == EIO || error == EINVAL || error == EMSGSIZE || error == ENOPROTOOPT ||
         error == EOPNOTSUPP;
}

}  // namespace

TcpStream::TcpStream(Fd fd, const ProbeStamper& stamper, unsigned window)
    : fd_(std::move(fd)),
      stamper_(stamper),
      size_(stamper.record_size()),
      window_(window),
      ring_(size_ * window) {
  for (std::uint64_t k = 0; k < window_; ++k) stamper_.fill({slot(k), size_});
}

void TcpStream::push(std::int64_t stamp_ns) noexcept {
  stamper_.stamp({slot(pushed_), size_}, pushed_, static_cast<std::uint64_t>(stamp_ns));
  ++pushed_;
}

IoResult TcpStream::flush() noexcept {
  IoResult result;
  const std::uint64_t capacity = ring_.size();
  while (wants_write()) {
    // The unsent bytes, in at most two pieces when they wrap around the ring.
    const std::uint64_t from = sent_bytes_ % capacity;
    const std::uint64_t pending = pushed_ * size_ - sent_bytes_;
    const std::uint64_t first = std::min(pending, capacity - from);
    iovec pieces[2] = {{ring_.data() + from, first}, {ring_.data(), pending - first}};
    msghdr message{};
    message.msg_iov = pieces;
    message.msg_iovlen = pending > first ? 2 : 1;
    const ssize_t n = ::sendmsg(fd_.get(), &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return result;
    if (n < 0) {
      error_ = std::string("send failed: ") + std::strerror(errno);
      result.state = IoResult::kConnection;
      return result;
    }
    sent_bytes_ += static_cast<std::uint64_t>(n);
    result.bytes += static_cast<std::uint64_t>(n);
  }
  return result;
}

std::size_t TcpStream::verify_some(std::span<const std::byte> echoed, std::int64_t* stamp,
                                   bool* completed) {
  if (echoed_bytes_ >= sent_bytes_) {
    error_ = "the server sent " + std::to_string(echoed.size()) +
             " bytes more than it was sent (stream offset " + std::to_string(echoed_bytes_) + ")";
    return 0;
  }
  const std::uint64_t record = echoed_bytes_ / size_;
  const std::size_t offset = echoed_bytes_ % size_;
  const std::size_t take = static_cast<std::size_t>(
      std::min<std::uint64_t>({echoed.size(), size_ - offset, sent_bytes_ - echoed_bytes_}));
  const std::byte* expected = slot(record) + offset;
  if (std::memcmp(expected, echoed.data(), take) != 0) {
    std::size_t i = 0;
    while (expected[i] == echoed[i]) ++i;
    error_ = "echo byte " + std::to_string(echoed_bytes_ + i) + " is " + hex_byte(echoed[i]) +
             ", expected " + hex_byte(expected[i]) + " (record " + std::to_string(record) +
             ", byte " + std::to_string(offset + i) + " of " + std::to_string(size_) + ")";
    return 0;
  }
  echoed_bytes_ += take;
  *completed = offset + take == size_;
  if (*completed) {
    *stamp = static_cast<std::int64_t>(record_time({slot(record), size_}));
    ++echoed_;
  }
  return take;
}

UdpFlow::UdpFlow(Fd fd, const ProbeStamper& stamper, unsigned window, bool gso)
    : fd_(std::move(fd)),
      stamper_(stamper),
      size_(stamper.record_size()),
      window_(window),
      ring_(size_ * window),
      gso_(gso) {
  for (std::uint64_t k = 0; k < window_; ++k) stamper_.fill({ring_.data() + k * size_, size_});
  // Best effort: a kernel without UDP_GRO (before 5.0) delivers one datagram per read.
  (void)enable_udp_gro(fd_.get());
}

void UdpFlow::push(std::int64_t stamp_ns) noexcept {
  std::byte* record = ring_.data() + (pushed_ % window_) * size_;
  stamper_.stamp({record, size_}, pushed_, static_cast<std::uint64_t>(stamp_ns));
  ++pushed_;
}

IoResult UdpFlow::flush() noexcept {
  IoResult result;
  while (wants_write()) {
    // A lone datagram needs no segmenting (and would not show whether the kernel can).
    const unsigned gso_records = gso_ ? gso_count() : 0;
    const int n = gso_records >= 2 ? send_gso(gso_records) : send_batch();
    if (n < 0 && gso_records >= 2 && refuses_gso(errno)) {
      // This kernel or route cannot segment (any more: the path MTU may have
      // dropped): datagram by datagram from now on, where a real error shows.
      gso_ = false;
      ++counts_.gso_fallbacks;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) return result;
    if (n < 0) {
      error_ = std::string("send failed: ") + std::strerror(errno);
      result.state = IoResult::kConnection;
      return result;
    }
    note_sent(static_cast<unsigned>(n));
    result.bytes += static_cast<std::uint64_t>(n) * size_;
  }
  return result;
}

int UdpFlow::send_batch() noexcept {
  constexpr unsigned kBatch = 32;
  mmsghdr messages[kBatch];
  iovec vectors[kBatch];
  const auto count = static_cast<unsigned>(std::min<std::uint64_t>(pushed_ - sent_, kBatch));
  for (unsigned i = 0; i < count; ++i) {
    vectors[i] = {ring_.data() + ((sent_ + i) % window_) * size_, size_};
    messages[i] = {};
    messages[i].msg_hdr.msg_iov = &vectors[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  return ::sendmmsg(fd_.get(), messages, count, MSG_NOSIGNAL);
}

unsigned UdpFlow::gso_count() const noexcept {
  return static_cast<unsigned>(
      std::min<std::uint64_t>({pushed_ - sent_, kMaxGsoSegments, kMaxGsoBytes / size_}));
}

int UdpFlow::send_gso(unsigned count) noexcept {
  // The records are consecutive in the ring: one piece, or two across its end.
  const std::uint64_t from = sent_ % window_;
  const std::uint64_t first = std::min<std::uint64_t>(count, window_ - from);
  iovec pieces[2] = {{ring_.data() + from * size_, first * size_},
                     {ring_.data(), (count - first) * size_}};
  alignas(cmsghdr) unsigned char control[kUdpSegmentSpace] = {};
  msghdr message{};
  message.msg_iov = pieces;
  message.msg_iovlen = count > first ? 2 : 1;
  message.msg_control = control;
  // count >= 2, so size_ <= 32753 fits.
  message.msg_controllen = write_udp_segment(static_cast<std::uint16_t>(size_), control);
  if (::sendmsg(fd_.get(), &message, MSG_NOSIGNAL) < 0) return -1;
  ++counts_.gso_sends;
  return static_cast<int>(count);  // a UDP send is all or nothing
}

void UdpFlow::note_sent(unsigned count) {
  for (unsigned i = 0; i < count; ++i, ++sent_) {
    const std::byte* record = ring_.data() + (sent_ % window_) * size_;
    sent_log_.emplace_back(sent_, static_cast<std::int64_t>(record_time({record, size_})));
    state_.push_back(kInFlight);
  }
  counts_.sent += count;
}

std::size_t UdpFlow::expire(std::int64_t now_ns, std::int64_t timeout_ns) noexcept {
  std::size_t expired = 0;
  while (!sent_log_.empty()) {
    const auto [sequence, stamp] = sent_log_.front();
    if (state_[sequence] == kInFlight) {
      if (now_ns - stamp < timeout_ns) break;
      state_[sequence] = kExpired;
      ++resolved_;
      ++expired;
    }
    sent_log_.pop_front();
  }
  return expired;
}

bool UdpFlow::accept(std::span<const std::byte> datagram, std::int64_t* stamp, bool* first) {
  if (!stamper_.is_intact(datagram)) {
    error_ = "a " + std::to_string(datagram.size()) + "-byte datagram came back that is not the " +
             std::to_string(size_) + "-byte probe record sent (corrupt, truncated or foreign)";
    return false;
  }
  const std::uint64_t sequence = record_sequence(datagram);
  if (sequence >= sent_) {
    error_ = "an echo of sequence number " + std::to_string(sequence) + " came back, but only " +
             std::to_string(sent_) + " datagrams were sent";
    return false;
  }
  *stamp = static_cast<std::int64_t>(record_time(datagram));
  std::uint8_t& state = state_[sequence];
  *first = state != kEchoed;
  if (state == kEchoed) {
    ++counts_.duplicated;
    return true;
  }
  if (state == kInFlight) ++resolved_;
  if (state == kExpired) ++counts_.late;
  state = kEchoed;
  ++counts_.echoed;
  if (sequence + 1 < highest_) ++counts_.reordered;
  highest_ = std::max(highest_, sequence + 1);
  return true;
}

}  // namespace echo::bench
