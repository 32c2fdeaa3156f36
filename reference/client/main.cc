// echo-client: the reference RFC 862 echo client. See config.h for the
// command line, modes.h for what each mode does, exit_codes.h for the codes.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "reference/client/config.h"
#include "reference/client/connect.h"
#include "reference/client/exit_codes.h"
#include "reference/client/modes.h"

namespace {

using namespace echo::client;

ExitReason run(const ClientConfig& config) {
  Connection connection;
  ExitReason connected = connect_to(config, connection);
  if (!connected.ok()) return connected;
  switch (config.mode) {
    case Mode::kWord:
      return run_word(config, connection);
    case Mode::kStream:
      return run_stream(config, connection);
    case Mode::kLines:
    case Mode::kLengthPrefixed:
      return run_lines(config, connection);
    case Mode::kPing:
      return run_ping(config, connection);
  }
  return failure(ExitCode::kLocalError, "unknown mode");
}

}  // namespace

int main(int argc, char** argv) {
  // A closed standard output is reported as an error (exit 6), not a silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  echo::Result<CommandLine> command_line = parse_command_line(args);
  if (!command_line) {
    std::fprintf(stderr, "echo-client: %s\n", command_line.error().message.c_str());
    return to_int(ExitCode::kUsage);
  }
  if (command_line->help) {
    std::fputs(command_line->help_text.c_str(), stdout);
    return to_int(ExitCode::kOk);
  }
  ExitReason reason = run(command_line->config);
  if (!reason.ok()) std::fprintf(stderr, "echo-client: %s\n", reason.message.c_str());
  return to_int(reason.code);
}
