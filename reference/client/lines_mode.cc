// --lines and --length-prefixed: standard input is split into lines with the
// delimited decoder of core/codec; each line is one message, sent and then
// awaited before the next (so each echo is checked on its own and a slow
// server is a timeout, not a pile-up). --lines sends the line with its '\n'
// (over UDP one datagram per line); --length-prefixed sends the line without
// it behind a 4-byte big-endian length. Each echo is written to standard
// output as it came back (--length-prefixed: its body and a newline).
#include <poll.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/codec/delimited.h"
#include "core/codec/length_prefixed.h"
#include "core/net/io.h"
#include "reference/client/compare.h"
#include "reference/client/modes.h"
#include "reference/client/transfer.h"

namespace echo::client {
namespace {

constexpr std::size_t kMaxLine = std::size_t{1} << 20;
constexpr std::size_t kReadChunk = std::size_t{64} << 10;

class LineExchanger {
 public:
  LineExchanger(const ClientConfig& config, int fd) : config_(config), fd_(fd) {}

  // One line, `newline` telling whether it ended with '\n' (the last may not).
  ExitReason exchange_line(std::span<const std::byte> line, bool newline);

 private:
  std::vector<std::byte> wire_of(std::span<const std::byte> line, bool newline) const;

  const ClientConfig& config_;
  int fd_;
  std::uint64_t line_number_ = 0;
  std::uint64_t offset_ = 0;  // bytes of earlier messages on the wire
  std::vector<std::byte> echo_;
};

std::vector<std::byte> LineExchanger::wire_of(std::span<const std::byte> line, bool newline) const {
  std::vector<std::byte> wire;
  if (config_.mode == Mode::kLengthPrefixed) {
    // Cannot fail: kMaxLine is below the 4-byte prefix's and the options' limits.
    (void)encode_length_prefixed(wire, line,
                                 {.prefix = LengthPrefix::kBe32, .max_length = kMaxLine});
    return wire;
  }
  wire.assign(line.begin(), line.end());
  if (newline) wire.push_back(std::byte{'\n'});
  return wire;
}

ExitReason LineExchanger::exchange_line(std::span<const std::byte> line, bool newline) {
  ++line_number_;
  std::vector<std::byte> wire = wire_of(line, newline);
  ExitReason exchanged = exchange(config_, fd_, wire, echo_);
  if (!exchanged.ok()) {
    exchanged.message = "line " + std::to_string(line_number_) + ": " + exchanged.message;
    return exchanged;
  }
  if (first_difference(wire, echo_)) {
    return failure(ExitCode::kMismatch, "line " + std::to_string(line_number_) + ": " +
                                            mismatch_message(wire, echo_, offset_));
  }
  offset_ += wire.size();
  if (config_.mode == Mode::kLines) return write_output(STDOUT_FILENO, echo_);
  std::vector<std::byte> printed(line.begin(), line.end());
  if (newline) printed.push_back(std::byte{'\n'});
  return write_output(STDOUT_FILENO, printed);
}

// Reads standard input once: bytes, 0 at its end, or a failure.
Result<std::size_t> read_stdin(std::span<std::byte> into) {
  for (;;) {
    Transfer t = read_fd(STDIN_FILENO, into);
    if (t.kind == Transfer::Kind::kDone) return t.bytes;
    if (t.kind == Transfer::Kind::kEof) return std::size_t{0};
    if (t.kind == Transfer::Kind::kError) {
      return Error{"cannot read standard input: " + t.error.message(), t.error};
    }
    Result<short> ready = wait_ready(STDIN_FILENO, POLLIN, Deadline::never());
    if (!ready) return ready.error();
  }
}

}  // namespace

ExitReason run_lines(const ClientConfig& config, Connection& connection) {
  LineExchanger exchanger(config, connection.fd.get());
  DelimitedDecoder lines({.delimiter = std::byte{'\n'}, .max_length = kMaxLine});
  std::vector<std::byte> chunk(kReadChunk);
  ExitReason reason = success();
  auto on_line = [&](DecodeEvent<std::vector<std::byte>> event) {
    if (!reason.ok()) return;
    if (const auto* line = std::get_if<0>(&event)) {
      reason = exchanger.exchange_line(*line, true);
      return;
    }
    reason =
        failure(ExitCode::kLocalError, "standard input: " + std::get<DecodeError>(event).message);
  };
  for (;;) {
    Result<std::size_t> n = read_stdin(chunk);
    if (!n) return failure(ExitCode::kLocalError, n.error().message);
    if (*n == 0) break;
    feed_all(lines, std::span(chunk).first(*n), on_line);
    if (!reason.ok()) return reason;
  }
  if (lines.buffered() == 0) return success();
  // A last line without '\n': end it for the decoder, send it as it was.
  bool last = false;
  feed_all(lines, as_bytes("\n"), [&](DecodeEvent<std::vector<std::byte>> event) {
    if (const auto* line = std::get_if<0>(&event); line && !last) {
      last = true;
      reason = exchanger.exchange_line(*line, false);
    }
  });
  return reason;
}

}  // namespace echo::client
