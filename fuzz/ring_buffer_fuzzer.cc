// ring_buffer_fuzzer: random operation sequences on core/buffer/ring_buffer.h,
// checked against a std::deque model after every step.
// Input: two bytes of capacity (1-4096), then operations of three bytes each:
// an opcode and a 16-bit count n.
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
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <utility>
#include <vector>

#include "core/buffer/ring_buffer.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::RingBuffer;

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
    FUZZ_CHECK(buffer_.size() == model_.size(), "size() %zu, the model holds %zu", buffer_.size(),
               model_.size());
    FUZZ_CHECK(buffer_.free_space() == capacity_ - model_.size(), "free_space() %zu, expected %zu",
               buffer_.free_space(), capacity_ - model_.size());
    FUZZ_CHECK(buffer_.empty() == model_.empty(), "empty() is %d with %zu bytes", buffer_.empty(),
               model_.size());
    FUZZ_CHECK(buffer_.full() == (model_.size() == capacity_), "full() is %d with %zu of %zu",
               buffer_.full(), model_.size(), capacity_);
    std::size_t expected = model_.empty() ? 0 : capacity_;
    FUZZ_CHECK(buffer_.allocated() == expected, "allocated() %zu with %zu bytes stored",
               buffer_.allocated(), model_.size());
  }

 private:
  // The bytes written are a running counter, so any reordering shows.
  std::byte next_byte() { return static_cast<std::byte>(counter_++ * 151 + 7); }

  void write(std::size_t n) {
    std::vector<std::byte> data(n);
    for (std::byte& b : data) b = next_byte();
    std::size_t expected = std::min(n, capacity_ - model_.size());
    std::size_t taken = buffer_.write(data);
    FUZZ_CHECK(taken == expected, "write(%zu) took %zu, expected %zu", n, taken, expected);
    model_.insert(model_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(taken));
  }

  void fill_and_commit(std::size_t n) {
    std::span<std::byte> space = buffer_.writable();
    FUZZ_CHECK(space.empty() == buffer_.full(), "writable() has %zu bytes, full() is %d",
               space.size(), buffer_.full());
    FUZZ_CHECK(space.size() <= capacity_ - model_.size(), "writable() %zu exceeds the free %zu",
               space.size(), capacity_ - model_.size());
    std::size_t k = std::min(n, space.size());
    for (std::size_t i = 0; i < k; ++i) {
      space[i] = next_byte();
      model_.push_back(space[i]);
    }
    buffer_.commit(k);
  }

  void check_prefix(std::span<const std::byte> bytes, std::size_t from, const char* what) const {
    FUZZ_CHECK(from + bytes.size() <= model_.size(), "%s reaches past the stored bytes", what);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      FUZZ_CHECK(bytes[i] == model_[from + i], "%s: byte %zu differs from the model", what,
                 from + i);
    }
  }

  void consume(std::size_t n) {
    std::span<const std::byte> data = buffer_.readable();
    FUZZ_CHECK(data.empty() == model_.empty(), "readable() has %zu bytes of %zu stored",
               data.size(), model_.size());
    check_prefix(data, 0, "readable()");
    std::size_t k = std::min(n, data.size());
    buffer_.consume(k);
    model_.erase(model_.begin(), model_.begin() + static_cast<std::ptrdiff_t>(k));
  }

  void read(std::size_t n) {
    std::vector<std::byte> out(n);
    std::size_t expected = std::min(n, model_.size());
    std::size_t got = buffer_.read(out);
    FUZZ_CHECK(got == expected, "read(%zu) gave %zu, expected %zu", n, got, expected);
    check_prefix(std::span(out).first(got), 0, "read()");
    model_.erase(model_.begin(), model_.begin() + static_cast<std::ptrdiff_t>(got));
  }

  void regions() {
    auto stored = std::as_const(buffer_).readable_regions();
    FUZZ_CHECK(stored[0].size() + stored[1].size() == model_.size(),
               "readable_regions() cover %zu bytes of %zu", stored[0].size() + stored[1].size(),
               model_.size());
    FUZZ_CHECK(stored[0].empty() ? stored[1].empty() : true, "only the second region is used");
    FUZZ_CHECK(stored[0].data() == buffer_.readable().data() &&
                   stored[0].size() == buffer_.readable().size(),
               "the first readable region is not readable()");
    check_prefix(stored[0], 0, "readable_regions()[0]");
    check_prefix(stored[1], stored[0].size(), "readable_regions()[1]");
    std::span<std::byte> tail = buffer_.writable();
    auto free = buffer_.writable_regions();
    FUZZ_CHECK(free[0].size() + free[1].size() == capacity_ - model_.size(),
               "writable_regions() cover %zu bytes, %zu are free", free[0].size() + free[1].size(),
               capacity_ - model_.size());
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
  std::deque<std::byte> model_;
  unsigned counter_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  Checker checker(1 + in.take_u16() % 4096);
  checker.check_invariants();
  while (!in.empty()) {
    uint8_t op = in.take_u8();
    checker.apply(op, in.take_u16() % 8192);
    checker.check_invariants();
  }
  return 0;
}
