// echo-soak: a long, verified mixed load against an echo server on loopback,
// with the server's memory, descriptors and CPU sampled each second and pass
// criteria for leaks (docs/security.md, "Soak").
#include <iostream>
#include <string>

#include "core/util/write_file.h"
#include "tools/soak/options.h"
#include "tools/soak/report.h"
#include "tools/soak/soak.h"

namespace {

bool write_file(const std::string& path, const std::string& text) {
  const echo::Status written = echo::write_file_atomically(path, text);
  if (!written) std::cerr << "echo-soak: " << written.error().message << '\n';
  return written.ok();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echo::soak;
  auto parsed = parse_soak_options(argc, argv, std::cout, std::cerr);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  const SoakOptions& options = std::get<SoakOptions>(parsed);
  echo::Result<SoakResult> result = run_soak(options, &std::cerr);
  if (!result) {
    std::cerr << "echo-soak: " << result.error().message << '\n';
    return kExitUsage;
  }
  result->command = "echo-soak";  // the whole command line, for the record
  for (int i = 1; i < argc; ++i) result->command += std::string(" ") + argv[i];
  std::cout << summary_text(*result);
  bool written = true;
  if (!options.json_path.empty()) written &= write_file(options.json_path, report_json(*result));
  if (!options.svg_path.empty()) written &= write_file(options.svg_path, report_svg(*result));
  if (!written) return kExitUsage;
  return result->verdict.pass ? kExitPass : kExitFail;
}
