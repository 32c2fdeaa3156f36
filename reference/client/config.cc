#include "reference/client/config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <system_error>

#include "core/version/version.h"
#include "reference/client/exit_codes.h"

namespace echo::client {
namespace {

constexpr double kMaxSeconds = 86400.0;
constexpr int kMaxCount = 1000000;

// What CLI11 fills in; turned into a ClientConfig by to_config().
struct RawArguments {
  std::string server, word, port, timeout = "5", count = "5", interval = "1";
  bool udp = false, stream = false, lines = false, length_prefixed = false, ping = false;
  bool word_given = false, port_given = false;
};

Mode mode_of(const RawArguments& raw) {
  if (raw.stream) return Mode::kStream;
  if (raw.lines) return Mode::kLines;
  if (raw.length_prefixed) return Mode::kLengthPrefixed;
  if (raw.ping) return Mode::kPing;
  return Mode::kWord;
}

const char* mode_flag(Mode mode) {
  switch (mode) {
    case Mode::kStream:
      return "--stream";
    case Mode::kLines:
      return "--lines";
    case Mode::kLengthPrefixed:
      return "--length-prefixed";
    case Mode::kPing:
      return "--ping";
    case Mode::kWord:
      break;
  }
  return "";
}

Result<int> parse_count(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size() && value >= 1 && value <= kMaxCount) {
    return value;
  }
  return Error{"--count '" + text + "' is not a whole number in range 1-" +
               std::to_string(kMaxCount)};
}

// Which positional is the port: the third always, the second outside word mode.
Result<std::optional<std::string>> port_text(const RawArguments& raw, Mode mode) {
  if (mode == Mode::kWord) {
    if (!raw.word_given) {
      return Error{"missing the echo word (expected: echo-client <server> <word> [<port>])"};
    }
    return raw.port_given ? std::optional(raw.port) : std::nullopt;
  }
  if (raw.port_given) {
    return Error{std::string(mode_flag(mode)) + " takes no echo word (expected: echo-client " +
                 mode_flag(mode) + " <server> [<port>])"};
  }
  return raw.word_given ? std::optional(raw.word) : std::nullopt;
}

Result<HostPort> parse_server(const std::string& server, const std::optional<std::string>& port) {
  if (!port) return parse_host_port(server, kDefaultPort, PortRule::kNonZero);
  ECHO_ASSIGN_OR_RETURN(uint16_t number, parse_port(*port, PortRule::kNonZero));
  if (parse_host_port(server, std::nullopt, PortRule::kNonZero)) {
    return Error{"server '" + server + "' already names a port; give the port only once"};
  }
  return parse_host_port(server, number, PortRule::kNonZero);
}

Status check_combination(const RawArguments& raw, Mode mode) {
  if (raw.udp && (mode == Mode::kStream || mode == Mode::kLengthPrefixed)) {
    return Error{std::string(mode_flag(mode)) +
                 " needs a byte stream; it works over TCP only (drop --udp)"};
  }
  return {};
}

Result<ClientConfig> to_config(const RawArguments& raw) {
  ClientConfig config;
  config.mode = mode_of(raw);
  config.transport = raw.udp ? Transport::kUdp : Transport::kTcp;
  if (Status combination = check_combination(raw, config.mode); !combination) {
    return combination.error();
  }
  ECHO_ASSIGN_OR_RETURN(std::optional<std::string> port, port_text(raw, config.mode));
  ECHO_ASSIGN_OR_RETURN(HostPort server, parse_server(raw.server, port));
  config.server = std::move(server);
  if (config.mode == Mode::kWord) config.word = raw.word;

  ECHO_ASSIGN_OR_RETURN(Seconds timeout, parse_seconds(raw.timeout, "--timeout", 0.001));
  config.timeout = timeout;
  ECHO_ASSIGN_OR_RETURN(Seconds interval, parse_seconds(raw.interval, "--interval", 0.0));
  config.interval = interval;
  ECHO_ASSIGN_OR_RETURN(int count, parse_count(raw.count));
  config.count = count;
  return config;
}

void describe(CLI::App& app, RawArguments& raw) {
  app.add_option("server", raw.server, "Server host name, IPv4 or IPv6 address")
      ->required()
      ->type_name("HOST");
  app.add_option("word", raw.word,
                 "Word to echo (the lecture's form); in --stream/--lines/--ping modes this "
                 "place holds the port")
      ->type_name("WORD");
  app.add_option("port", raw.port, "Server port, 1-65535 (default 7)")->type_name("PORT");
  app.add_flag("-u,--udp", raw.udp, "Use UDP instead of TCP");
  app.add_option("-t,--timeout", raw.timeout,
                 "Seconds to wait for connecting and for each answer (default 5)")
      ->type_name("SECONDS");
  auto* stream = app.add_flag("--stream", raw.stream,
                              "Send standard input, write the echo to standard output, verify it");
  auto* lines = app.add_flag("--lines", raw.lines,
                             "Each standard input line is one message: send, await echo, print");
  auto* framed = app.add_flag("--length-prefixed", raw.length_prefixed,
                              "Like --lines, each line sent with a 4-byte big-endian length");
  auto* ping = app.add_flag("--ping", raw.ping, "Measure round-trip times, print a summary");
  app.add_option("-c,--count", raw.count, "--ping: probes to send (default 5)")
      ->type_name("N")
      ->needs(ping);
  app.add_option("-i,--interval", raw.interval, "--ping: seconds between probes (default 1)")
      ->type_name("SECONDS")
      ->needs(ping);
  for (CLI::Option* a : {stream, lines, framed, ping}) {
    for (CLI::Option* b : {stream, lines, framed, ping}) {
      if (a != b) a->excludes(b);
    }
  }
  app.footer(kExitCodesHelp);
}

}  // namespace

Result<Seconds> parse_seconds(const std::string& text, const std::string& what, double minimum) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  bool number = ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
  if (number && value >= minimum && value <= kMaxSeconds) return Seconds(value);
  char range[64];
  std::snprintf(range, sizeof range, "from %g to %g", minimum, kMaxSeconds);
  return Error{what + " '" + text + "' is not a number of seconds " + range + " (e.g. 5 or 0.25)"};
}

std::string format_seconds(Seconds seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds.count());
  return text;
}

Result<CommandLine> parse_command_line(const std::vector<std::string>& args) {
  CLI::App app{
      "Reference RFC 862 echo client: sends data to an echo server and checks that the same "
      "bytes come back.\n"
      "  echo-client [--udp] <server> <word> [<port>]     print \"Received: <word>\"\n"
      "  echo-client --stream <server> [<port>]           stdin to the server, echo to stdout\n"
      "  echo-client --lines [--udp] <server> [<port>]    one stdin line per message\n"
      "  echo-client --ping [--udp] [--count N] [--interval SECONDS] <server> [<port>]",
      "echo-client"};
  RawArguments raw;
  describe(app, raw);
  app.set_version_flag("--version", version_line("echo-client"));
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return CommandLine{true, app.help(), {}};
  } catch (const CLI::CallForVersion& e) {
    return CommandLine{true, std::string(e.what()) + "\n", {}};
  } catch (const CLI::ParseError& e) {
    return Error{e.what()};
  }
  raw.word_given = app.get_option("word")->count() > 0;
  raw.port_given = app.get_option("port")->count() > 0;
  ECHO_ASSIGN_OR_RETURN(ClientConfig config, to_config(raw));
  return CommandLine{false, {}, std::move(config)};
}

}  // namespace echo::client
