// Result<T>: a value or an Error, for operations that fail on bad input or
// on the network. A small stand-in for C++23 std::expected.
//
// Example:
//   Result<uint16_t> port = parse_port("70000", PortRule::kNonZero);
//   if (!port) std::cerr << port.error().message << '\n';  // "port 70000 is out of range 1-65535"
#pragma once

#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace echo {

// What went wrong, as one line a person can act on (it names what was wrong
// and what was expected), plus the system error when a system call failed.
struct Error {
  std::string message;
  std::error_code code{};
};

// An Error for a failed system call: "<what>: <strerror(errno_value)>".
[[nodiscard]] Error system_error(std::string what, int errno_value);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error, for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace echo
