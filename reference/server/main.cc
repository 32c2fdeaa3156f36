// echo-server: the reference RFC 862 echo server. See options.cc for the
// command line, models.h for the concurrency models and exit_codes.h for the
// exit codes (0 clean stop, 1 runtime failure, 2 usage error, 3 cannot bind).
#include <iostream>
#include <variant>

#include "reference/server/options.h"
#include "reference/server/server.h"

int main(int argc, char** argv) {
  using namespace echo::server;
  std::variant<ServerOptions, ExitCode> parsed = parse_options(argc, argv, std::cout, std::cerr);
  if (const ExitCode* code = std::get_if<ExitCode>(&parsed)) return *code;
  return run_server(std::get<ServerOptions>(parsed));
}
