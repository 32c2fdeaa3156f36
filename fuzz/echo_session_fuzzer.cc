// echo_session_fuzzer: the reference server's per-connection logic
// (core/session/echo_session.h) driven by random event sequences, as an event
// loop would drive it. Input: two bytes of buffer capacity (taken mod 256, plus
// 1), then events of three bytes each: an opcode and a 16-bit count n (taken mod
// 512). The session has no size-dependent behaviour, and the buffer it allocates
// whenever data arrives to an empty one is what ASan pays for, so capacities stay
// small. (The capacity was 1-8192 and n mod 16384 before; the corpus was
// regenerated for this meaning.)
//   0 data in      up to n bytes are received into receive_space()
//   1 send room    up to n bytes of pending_output() are sent
//   2 peer EOF     on_peer_eof()
//   3 reset        on_error(), rarely (only opcode 3 mod 16)
//   4 direct echo  the server's fast path: up to n bytes land in the loop's own
//                  storage (direct_receive_limit()), part of them is sent at
//                  once and on_echoed() keeps the rest
// Properties checked after every event (a broken one aborts):
//  - what was sent is exactly a prefix of what was received (byte for byte);
//  - buffered() == received - sent, and buffered() and memory_held() never
//    exceed the capacity; memory_held() is 0 when nothing is buffered;
//  - receive_space() is empty exactly when reading must stop (full, EOF, error);
//  - should_close() only after the peer's EOF with everything flushed, or after
//    an error, and then nothing more is offered for sending.
// The model: the bytes received are a running counter (fuzz/counter_bytes.h),
// so what was received and sent are two counts, and every byte offered is
// compared (memcmp) with the counter values it must have. The direct-echo
// storage is exactly the bytes received at the end of a static array, so ASan
// still sees an access past it; nothing is allocated per event but the
// session's own buffer.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "core/session/echo_session.h"
#include "fuzz/counter_bytes.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::EchoSession;
using echo::fuzz::CounterBytes;

constexpr std::size_t kMaxCapacity = 256;
constexpr std::size_t kMaxCount = 2 * kMaxCapacity;  // n: up to twice the capacity
constexpr CounterBytes kStream(131, 17);
std::array<std::byte, kMaxCapacity> g_direct;  // the event loop's own receive storage

class Driver {
 public:
  explicit Driver(std::size_t capacity) : session_(capacity), capacity_(capacity) {}

  void apply(uint8_t op, std::size_t n) {
    switch (op % 16) {
      case 4:
      case 5:
        return echo_directly(n);
      case 0:
      case 6:
      case 7:
      case 8:
        return receive(n);
      case 1:
      case 9:
      case 10:
      case 11:
      case 12:
      case 13:
        return send(n);
      case 2:
      case 14:
        return eof();
      case 3:
        return reset();
      default:
        return receive(n);
    }
  }

  void check() {
    const uint64_t sent = session_.bytes_sent();
    FUZZ_CHECK(session_.bytes_received() == received_, "bytes_received() %llu, fed %zu",
               static_cast<unsigned long long>(session_.bytes_received()), received_);
    FUZZ_CHECK(sent == sent_, "bytes_sent() %llu, sent %zu", static_cast<unsigned long long>(sent),
               sent_);
    FUZZ_CHECK(session_.buffered() == received_ - sent_ || failed_,
               "buffered() %zu but %zu received and %zu sent", session_.buffered(), received_,
               sent_);
    FUZZ_CHECK(session_.buffered() <= capacity_, "buffered() %zu over the capacity %zu",
               session_.buffered(), capacity_);
    FUZZ_CHECK(session_.memory_held() <= capacity_, "memory_held() %zu over the capacity %zu",
               session_.memory_held(), capacity_);
    if (session_.buffered() == 0) {
      FUZZ_CHECK(session_.memory_held() == 0, "an idle session holds %zu bytes",
                 session_.memory_held());
    }
    bool flushed = received_ == sent_;
    FUZZ_CHECK(session_.should_close() == (failed_ || (eof_ && flushed)),
               "should_close() is %d with eof=%d failed=%d flushed=%d", session_.should_close(),
               eof_, failed_, flushed);
    FUZZ_CHECK(session_.peer_finished() == eof_, "peer_finished() is %d, eof was %sseen",
               session_.peer_finished(), eof_ ? "" : "not ");
    if (failed_) {
      FUZZ_CHECK(!session_.wants_read() && !session_.wants_write(), "a failed session wants I/O");
      FUZZ_CHECK(session_.pending_output().empty(), "a failed session offers bytes to send");
    }
  }

 private:
  void receive(std::size_t n) {
    bool may_read = !eof_ && !failed_ && session_.buffered() < capacity_;
    FUZZ_CHECK(session_.wants_read() == may_read, "wants_read() is %d, expected %d",
               session_.wants_read(), may_read);
    std::span<std::byte> space = session_.receive_space();
    FUZZ_CHECK(space.empty() == !may_read, "receive_space() has %zu bytes, reading %s allowed",
               space.size(), may_read ? "is" : "is not");
    FUZZ_CHECK(space.size() <= capacity_ - session_.buffered(), "receive_space() %zu > free %zu",
               space.size(), capacity_ - session_.buffered());
    std::size_t k = std::min(n, space.size());
    if (k > 0) std::memcpy(space.data(), kStream.run(received_, k).data(), k);
    received_ += k;
    session_.on_received(k);
  }

  void echo_directly(std::size_t n) {
    const std::size_t limit = session_.direct_receive_limit();
    const bool allowed = !eof_ && !failed_ && session_.buffered() == 0;
    FUZZ_CHECK((limit > 0) == allowed, "direct_receive_limit() is %zu, direct receiving %s allowed",
               limit, allowed ? "is" : "is not");
    FUZZ_CHECK(limit <= capacity_, "direct_receive_limit() %zu over the capacity %zu", limit,
               capacity_);
    if (limit == 0) return;
    const std::size_t count = std::min(n, limit);
    std::span<std::byte> scratch = echo::fuzz::end_of(g_direct, count);
    if (count > 0) std::memcpy(scratch.data(), kStream.run(received_, count).data(), count);
    received_ += count;
    const std::size_t sent_now = count == 0 ? 0 : (n * 7919) % (count + 1);
    session_.on_echoed(scratch, sent_now);
    sent_ += sent_now;
  }

  void send(std::size_t n) {
    std::span<const std::byte> out = session_.pending_output();
    FUZZ_CHECK(out.empty() == !session_.wants_write(),
               "pending_output() has %zu bytes, "
               "wants_write() is %d",
               out.size(), session_.wants_write());
    FUZZ_CHECK(sent_ + out.size() <= received_, "%zu bytes offered, %zu unsent", out.size(),
               received_ - sent_);
    std::optional<std::size_t> wrong = kStream.first_difference(out, sent_);
    FUZZ_CHECK(!wrong, "byte %zu offered is not the byte received", sent_ + wrong.value_or(0));
    if (!failed_ && sent_ < received_) {
      FUZZ_CHECK(!out.empty(), "%zu bytes wait but nothing is offered", received_ - sent_);
    }
    std::size_t k = std::min(n, out.size());
    session_.on_sent(k);
    sent_ += k;
  }

  void eof() {
    session_.on_peer_eof();
    eof_ = true;
  }

  void reset() {
    session_.on_error();
    failed_ = true;
  }

  EchoSession session_;
  std::size_t capacity_;
  std::size_t received_ = 0;  // bytes received: counter values 0 .. received_ - 1
  std::size_t sent_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  Driver driver(1 + in.take_u16() % kMaxCapacity);
  driver.check();
  while (!in.empty()) {
    uint8_t op = in.take_u8();
    driver.apply(op, in.take_u16() % kMaxCount);
    driver.check();
  }
  return 0;
}
