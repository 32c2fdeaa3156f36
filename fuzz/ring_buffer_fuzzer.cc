// ring_buffer_fuzzer: random operation sequences on core/buffer/ring_buffer.h,
// checked against a model after every step.
// Input: two bytes of capacity (taken mod 256, plus 1), then operations of three
// bytes each: an opcode and a 16-bit count n (taken mod 512). Small capacities
// reach every wrap-around a large one does, and an allocation of a few hundred
// bytes costs ASan far less than one of 4 KiB. (The capacity was 1-4096 and n
// mod 8192 before; the corpus was regenerated for this meaning.)
//   0 write n bytes        write() takes min(n, free_space())
//   1 fill and commit      writable() is filled with up to n bytes, then commit()
//   2 consume n            readable() holds the oldest bytes; consume(min(n, its size))
//   3 read n               read() copies and consumes min(n, size()) bytes
//   4 regions              readable_regions() and writable_regions() cover exactly
//                          the stored bytes / the free space, first span first;
//                          then commit(0)
//   5 move                 the buffer survives a move out and back
// Invariants after every step: size() matches the model; free_space(),
// full(), empty() agree with it; allocated() is 0 when empty, else capacity().
// The model: the bytes written are a running counter (fuzz/counter_bytes.h),
// so the stored bytes are always counter values head .. head + size - 1 and
// every byte handed out is compared with them (memcmp), whatever its position.
// Buffers passed to write() and read() are exactly n bytes at the end of a
// static array, so ASan still sees an access past them; nothing is allocated
// per operation but the ring buffer's own storage.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <utility>

#include "core/buffer/ring_buffer.h"
#include "fuzz/counter_bytes.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::RingBuffer;
using echo::fuzz::CounterBytes;

constexpr std::size_t kMaxCapacity = 256;
constexpr std::size_t kMaxCount = 2 * kMaxCapacity;  // n: up to twice the capacity
constexpr CounterBytes kStream(151, 7);
std::array<std::byte, kMaxCount> g_io;  // write()'s source, read()'s destination

class Checker {
 public:
  explicit Checker(std::size_t capacity) : buffer_(capacity), capacity_(capacity) {}

  void apply(uint8_t op, std::size_t n) {
    switch (op % 6) {
      case 0:
        return write(n);
      case 1:
        return fill_and_commit(n);
      case 2:
        return consume(n);
      case 3:
        return read(n);
      case 4:
        return regions();
      default:
        return move();
    }
  }

  void check_invariants() const {
    FUZZ_CHECK(buffer_.capacity() == capacity_, "capacity changed to %zu", buffer_.capacity());
    FUZZ_CHECK(buffer_.size() == size_, "size() %zu, the model holds %zu", buffer_.size(), size_);
    FUZZ_CHECK(buffer_.free_space() == capacity_ - size_, "free_space() %zu, expected %zu",
               buffer_.free_space(), capacity_ - size_);
    FUZZ_CHECK(buffer_.empty() == (size_ == 0), "empty() is %d with %zu bytes", buffer_.empty(),
               size_);
    FUZZ_CHECK(buffer_.full() == (size_ == capacity_), "full() is %d with %zu of %zu",
               buffer_.full(), size_, capacity_);
    std::size_t expected = size_ == 0 ? 0 : capacity_;
    FUZZ_CHECK(buffer_.allocated() == expected, "allocated() %zu with %zu bytes stored",
               buffer_.allocated(), size_);
  }

 private:
  // The counter value of the next byte written.
  std::uint64_t tail() const { return head_ + size_; }

  void write(std::size_t n) {
    std::span<std::byte> data = echo::fuzz::end_of(g_io, n);
    if (n > 0) std::memcpy(data.data(), kStream.run(tail(), n).data(), n);
    std::size_t expected = std::min(n, capacity_ - size_);
    std::size_t taken = buffer_.write(data);
    FUZZ_CHECK(taken == expected, "write(%zu) took %zu, expected %zu", n, taken, expected);
    size_ += taken;
  }

  void fill_and_commit(std::size_t n) {
    std::span<std::byte> space = buffer_.writable();
    FUZZ_CHECK(space.empty() == buffer_.full(), "writable() has %zu bytes, full() is %d",
               space.size(), buffer_.full());
    FUZZ_CHECK(space.size() <= capacity_ - size_, "writable() %zu exceeds the free %zu",
               space.size(), capacity_ - size_);
    std::size_t k = std::min(n, space.size());
    if (k > 0) std::memcpy(space.data(), kStream.run(tail(), k).data(), k);
    size_ += k;
    buffer_.commit(k);
  }

  // `bytes` must be the stored bytes from position `from` on.
  void check_prefix(std::span<const std::byte> bytes, std::size_t from, const char* what) const {
    FUZZ_CHECK(from + bytes.size() <= size_, "%s reaches past the stored bytes", what);
    std::optional<std::size_t> wrong = kStream.first_difference(bytes, head_ + from);
    FUZZ_CHECK(!wrong, "%s: byte %zu differs from the model", what, from + wrong.value_or(0));
  }

  void consume(std::size_t n) {
    std::span<const std::byte> data = buffer_.readable();
    FUZZ_CHECK(data.empty() == (size_ == 0), "readable() has %zu bytes of %zu stored", data.size(),
               size_);
    check_prefix(data, 0, "readable()");
    std::size_t k = std::min(n, data.size());
    buffer_.consume(k);
    head_ += k;
    size_ -= k;
  }

  void read(std::size_t n) {
    std::span<std::byte> out = echo::fuzz::end_of(g_io, n);
    std::size_t expected = std::min(n, size_);
    std::size_t got = buffer_.read(out);
    FUZZ_CHECK(got == expected, "read(%zu) gave %zu, expected %zu", n, got, expected);
    check_prefix(out.first(got), 0, "read()");
    head_ += got;
    size_ -= got;
  }

  void regions() {
    auto stored = std::as_const(buffer_).readable_regions();
    FUZZ_CHECK(stored[0].size() + stored[1].size() == size_,
               "readable_regions() cover %zu bytes of %zu", stored[0].size() + stored[1].size(),
               size_);
    FUZZ_CHECK(stored[0].empty() ? stored[1].empty() : true, "only the second region is used");
    FUZZ_CHECK(stored[0].data() == buffer_.readable().data() &&
                   stored[0].size() == buffer_.readable().size(),
               "the first readable region is not readable()");
    check_prefix(stored[0], 0, "readable_regions()[0]");
    check_prefix(stored[1], stored[0].size(), "readable_regions()[1]");
    std::span<std::byte> tail = buffer_.writable();
    auto free = buffer_.writable_regions();
    FUZZ_CHECK(free[0].size() + free[1].size() == capacity_ - size_,
               "writable_regions() cover %zu bytes, %zu are free", free[0].size() + free[1].size(),
               capacity_ - size_);
    FUZZ_CHECK(free[0].data() == tail.data() && free[0].size() == tail.size(),
               "the first writable region is not writable()");
    FUZZ_CHECK(free[0].empty() ? free[1].empty() : true, "only the second free region is used");
    // Asking for space may allocate; committing nothing ends the request, so an
    // empty buffer must hold no storage again (the contract of allocated()).
    buffer_.commit(0);
  }

  void move() {
    RingBuffer moved(std::move(buffer_));
    buffer_ = std::move(moved);
  }

  RingBuffer buffer_;
  std::size_t capacity_;
  std::uint64_t head_ = 0;  // the counter value of the oldest stored byte
  std::size_t size_ = 0;    // how many bytes the model holds
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  Checker checker(1 + in.take_u16() % kMaxCapacity);
  checker.check_invariants();
  while (!in.empty()) {
    uint8_t op = in.take_u8();
    checker.apply(op, in.take_u16() % kMaxCount);
    checker.check_invariants();
  }
  return 0;
}
