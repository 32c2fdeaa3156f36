#include "conformance/explore/saved_script.h"

#include <filesystem>
#include <system_error>

#include "conformance/explore/script_text.h"
#include "conformance/findings/kinds.h"
#include "conformance/record/sha256.h"
#include "conformance/report/escape.h"
#include "core/util/bytes.h"
#include "core/util/human_text.h"
#include "core/util/write_file.h"

namespace echo::conformance::explore {
namespace {

std::string title_of(const std::string& finding) {
  if (const FindingKind* kind = find_kind(finding)) return std::string(kind->title);
  return "";
}

// Comment lines: `text` folded at line breaks, made printable, each after "# ".
std::string comment(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out += "# " + report::printable(text.substr(start, end - start), report::Lines::kFold) + "\n";
    start = end + 1;
  }
  return out;
}

std::string shape(const Script& script) {
  return std::to_string(script.steps.size()) + " steps, " + with_commas(script.bytes()) + " bytes";
}

}  // namespace

std::string saved_name(const std::string& finding, const Script& script) {
  const std::string text = print_script(script);
  return finding + "-" + sha256_hex(as_bytes(text)).substr(0, 12) + ".script";
}

std::string saved_text(const FuzzFailure& f, const SaveContext& context,
                       const std::string& file_name) {
  std::string header = "echo-conformance fuzz: " + f.signature.finding;
  if (const std::string title = title_of(f.signature.finding); !title.empty()) {
    header += ": " + title;
  }
  header += "\n" + f.detail;
  header += "\nfailed " + std::to_string(f.reproduced) + " of " + std::to_string(f.reruns) +
            " runs on " + context.target + (f.flaky ? " (flaky)" : "");
  if (!f.exit_description.empty()) header += "; the server " + f.exit_description;
  header += "\nfound by script " + std::to_string(f.script_index) + " of seed " +
            std::to_string(context.seed) + " (" + shape(f.found) + ")";
  if (f.script != f.found) {
    header += ", shrunk in " + std::to_string(f.shrink_runs) + " runs" +
              (f.shrink_complete ? "" : " (stopped before the end)");
  }
  header += "\nreplay: echo-conformance replay " + file_name + " " + context.target;
  return comment(header) + print_script(f.script);
}

Status save_failure(const std::string& folder, FuzzFailure& f, const SaveContext& context) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return Error{"cannot create folder '" + folder + "': " + error.message()};
  const std::string name = saved_name(f.signature.finding, f.script);
  const std::string path = (std::filesystem::path(folder) / name).string();
  if (Status written = write_file_atomically(path, saved_text(f, context, name)); !written) {
    return written;
  }
  f.saved = path;
  f.saved_suspects.clear();
  for (std::size_t i = 0; i < f.suspects.size(); ++i) {
    FuzzFailure one = f;
    one.script = f.suspects[i];
    one.found = f.suspects[i];
    one.reproduced = 0;
    one.reruns = 0;
    one.detail = "suspect " + std::to_string(i + 1) + " of " + std::to_string(f.suspects.size()) +
                 " (newest first): " + f.detail;
    const std::string suspect_name =
        saved_name("server-stopped-suspect-" + std::to_string(i + 1), one.script);
    const std::string suspect_path = (std::filesystem::path(folder) / suspect_name).string();
    if (Status written =
            write_file_atomically(suspect_path, saved_text(one, context, suspect_name));
        !written) {
      return written;
    }
    f.saved_suspects.push_back(suspect_path);
  }
  return {};
}

}  // namespace echo::conformance::explore
