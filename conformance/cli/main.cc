// echo-conformance: see app.h.
#include <iostream>

#include "conformance/cli/app.h"

int main(int argc, char** argv) {
  return echo::conformance::cli::run_app(argc, argv, std::cout, std::cerr);
}
