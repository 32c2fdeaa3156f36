// The client's modes, one file each. Each runs over an open connection
// (connect.h) and returns how it ended; main() prints the message and exits
// with the code.
#pragma once

#include "reference/client/config.h"
#include "reference/client/connect.h"
#include "reference/client/exit_reason.h"

namespace echo::client {

// Sends config.word, receives as many bytes, checks them, prints
// "Received: <echo>\n" with the raw bytes (word_mode.cc).
[[nodiscard]] ExitReason run_word(const ClientConfig& config, Connection& connection);

// Standard input to the server and the echo to standard output, concurrently,
// verified against a bounded window (stream_mode.cc).
[[nodiscard]] ExitReason run_stream(const ClientConfig& config, Connection& connection);

// One standard input line per message, sent and awaited in turn (lines_mode.cc).
[[nodiscard]] ExitReason run_lines(const ClientConfig& config, Connection& connection);

// Probes at each interval, round-trip times and a summary (ping_mode.cc).
[[nodiscard]] ExitReason run_ping(const ClientConfig& config, Connection& connection);

}  // namespace echo::client
