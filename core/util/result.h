// Result<T>: a value or an Error, for operations that fail on bad input or
// on the network. A small stand-in for C++23 std::expected, with its names
// (has_value, value, value_or, error), so it can become one. Status: the
// same for operations that return nothing.
//
// value() (and * and ->) on an error is a programming error: it aborts with
// the error's message (std::expected would throw bad_expected_access).
//
// Propagating: ECHO_TRY(expr) returns the Error of a failed Status or Result
// from the enclosing function; ECHO_ASSIGN_OR_RETURN(decl, expr) also
// declares the value. Error::with_context() prefixes what was being done.
//
// Example:
//   Result<uint16_t> port = parse_port("70000", PortRule::kNonZero);
//   if (!port) std::cerr << port.error().message << '\n';  // "port 70000 is out of range 1-65535"
//
//   Result<Fd> open_listener(const Endpoint& at) {
//     ECHO_ASSIGN_OR_RETURN(Fd fd, tcp_socket(at.family()));
//     ECHO_TRY(bind_to(fd.get(), at).with_context("cannot listen on " + at.to_string()));
//     return fd;
//   }
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

namespace echo {

// What went wrong, as one line a person can act on (it names what was wrong
// and what was expected), plus the system error when a system call failed.
struct Error {
  std::string message;
  std::error_code code{};

  // "<what>: <message>", the same code.
  [[nodiscard]] Error with_context(std::string_view what) const {
    return Error{std::string(what) + ": " + message, code};
  }
};

namespace internal {
[[noreturn]] inline void value_of_error(const Error& error) {
  std::fprintf(stderr, "value() of a Result that holds an error: %s\n", error.message.c_str());
  std::abort();
}
}  // namespace internal

// An Error for a failed system call: "<what>: <strerror(errno_value)>".
[[nodiscard]] Error system_error(std::string what, int errno_value);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  [[nodiscard]] bool has_value() const noexcept { return ok(); }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return check(), std::get<0>(state_); }
  const T& value() const& { return check(), std::get<0>(state_); }
  T&& value() && { return check(), std::get<0>(std::move(state_)); }
  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const { return std::get<1>(state_); }

  // The Error with "<what>: " in front; the value unchanged.
  [[nodiscard]] Result with_context(std::string_view what) && {
    if (ok()) return std::move(*this);
    return error().with_context(what);
  }

 private:
  void check() const {
    if (!ok()) internal::value_of_error(error());
  }
  std::variant<T, Error> state_;
};

// Success or an Error, for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  [[nodiscard]] bool has_value() const noexcept { return ok(); }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] Status with_context(std::string_view what) && {
    if (ok()) return std::move(*this);
    return error_.with_context(what);
  }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace echo

#define ECHO_TRY(expr)                                       \
  do {                                                       \
    if (auto echo_try_result_ = (expr); !echo_try_result_) { \
      return echo_try_result_.error();                       \
    }                                                        \
  } while (false)

// `declaration` is a declaration ("const int n"), which parentheses would
// break; `result` is a name made from __LINE__.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ECHO_RESULT_CONCAT_INNER(a, b) a##b
#define ECHO_RESULT_CONCAT(a, b) ECHO_RESULT_CONCAT_INNER(a, b)
#define ECHO_ASSIGN_OR_RETURN(declaration, expr) \
  ECHO_ASSIGN_OR_RETURN_IMPL(ECHO_RESULT_CONCAT(echo_result_, __LINE__), declaration, expr)
#define ECHO_ASSIGN_OR_RETURN_IMPL(result, declaration, expr) \
  auto result = (expr);                                       \
  if (!result) return result.error();                         \
  declaration = std::move(*result)
// NOLINTEND(bugprone-macro-parentheses)
