// The command line of echo-client, parsed into a ClientConfig without touching
// the network. Parsing never throws and never exits: bad input gives an Error
// whose one-line message names what was wrong and what was expected (the
// caller prints it as "echo-client: <message>" and exits with ExitCode::kUsage).
//
// Usage (the lecture's form still works):
//   echo-client <server> <word> [<port>]           send word, print "Received: <word>"
//   echo-client --stream <server> [<port>]         stdin -> server -> stdout, verified
//   echo-client --lines <server> [<port>]          one stdin line per message
//   echo-client --ping --count 3 <server> [<port>] round-trip times
//
// Example:
//   Result<CommandLine> line = parse_command_line({"127.0.0.1", "hello", "7007"});
//   // line->config.server.port == 7007, line->config.word == "hello"
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/address/parse.h"
#include "core/address/transport.h"
#include "core/util/result.h"

namespace echo::client {

// What the client does once connected.
enum class Mode {
  kWord,            // send the word once, print "Received: <echo>" (the lecture's client)
  kStream,          // standard input to the server, the echo to standard output, concurrently
  kLines,           // each standard input line is one message: send, await its echo, print
  kLengthPrefixed,  // like kLines, each line framed with a length prefix
  kPing,            // one probe per interval, print each round-trip time and a summary
};

using Seconds = std::chrono::duration<double>;

inline constexpr std::uint16_t kDefaultPort = 7;  // the well-known echo port (RFC 862)

struct ClientConfig {
  HostPort server;   // host as given (name, IPv4 or IPv6 literal) and port
  std::string word;  // kWord only; may hold any bytes but NUL
  Mode mode = Mode::kWord;
  Transport transport = Transport::kTcp;
  Seconds timeout{5.0};   // for connecting and for each wait on the server
  int count = 5;          // kPing: probes to send
  Seconds interval{1.0};  // kPing: time between probes
};

struct CommandLine {
  bool help = false;  // --help was asked for: print help_text, exit 0
  std::string help_text;
  ClientConfig config;
};

// args excludes the program name.
[[nodiscard]] Result<CommandLine> parse_command_line(const std::vector<std::string>& args);

// A duration in seconds as typed ("5", "0.25"): finite, within [minimum, 86400].
// `what` names the option in the message ("--timeout 'abc' is not a number of seconds ...").
[[nodiscard]] Result<Seconds> parse_seconds(const std::string& text, const std::string& what,
                                            double minimum);

// "5 s", "0.25 s": for messages.
[[nodiscard]] std::string format_seconds(Seconds seconds);

}  // namespace echo::client
