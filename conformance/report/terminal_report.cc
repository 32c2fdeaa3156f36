#include "conformance/report/terminal_report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "conformance/report/escape.h"
#include "conformance/report/summary.h"

namespace echo::conformance::report {
namespace {

constexpr std::size_t kMaxTitleWidth = 56;
constexpr std::size_t kEvidenceChars = 160;

const char* ansi_colour(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "\x1b[32m";  // green
    case Verdict::kFail:
      return "\x1b[1;31m";  // bold red
    case Verdict::kWarn:
      return "\x1b[33m";  // yellow
    case Verdict::kInfo:
      return "\x1b[36m";  // cyan
    case Verdict::kSkip:
      return "\x1b[2m";  // dim
  }
  return "";
}

std::string label(Verdict verdict, bool color) {
  std::string text = to_string(verdict);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!color) return text;
  return ansi_colour(verdict) + text + "\x1b[0m";
}

// Counts characters, not bytes, so that padding lines up for non-ASCII titles.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(std::string text, std::size_t width) {
  const std::size_t shown = display_width(text);
  if (shown < width) text.append(width - shown, ' ');
  return text;
}

std::string evidence_line(const Outcome& outcome) {
  std::string line;
  if (!outcome.expected.empty() || !outcome.actual.empty()) {
    line = "expected " + outcome.expected + ", actual " + outcome.actual;
  }
  if (!outcome.evidence.empty()) {
    if (!line.empty()) line += " — ";
    line += outcome.evidence;
  }
  return first_line(printable(line, Lines::kKeep), kEvidenceChars);
}

}  // namespace

bool color_wanted(bool stdout_is_terminal, const char* no_color) noexcept {
  return stdout_is_terminal && (no_color == nullptr || no_color[0] == '\0');
}

std::string render_case(const CaseResult& result, std::size_t id_width, std::size_t title_width,
                        bool color) {
  const std::string title = first_line(printable(result.info.title, Lines::kFold), kMaxTitleWidth);
  std::string line = "  " + label(result.outcome.verdict, color) + "  " +
                     pad(printable(result.info.id, Lines::kFold), id_width) + "  " +
                     pad(title, title_width) + "  " + format_duration(result.duration) + "\n";
  if (result.outcome.verdict == Verdict::kPass) return line;
  const std::string evidence = evidence_line(result.outcome);
  if (!evidence.empty()) line += "        " + evidence + "\n";
  return line;
}

std::string render_target_summary(const TargetReport& target, bool color) {
  const VerdictCounts counts = count_verdicts(target);
  std::string text =
      printable(target.name, Lines::kFold) + " (" + printable(target.address, Lines::kFold) + "): ";
  text += std::to_string(counts.pass) + " pass, ";
  std::string fails = std::to_string(counts.fail) + " fail (" +
                      std::to_string(counts.required_failures) + " required)";
  if (color && counts.required_failures > 0)
    fails = ansi_colour(Verdict::kFail) + fails + "\x1b[0m";
  text += fails + ", " + std::to_string(counts.warn) + " warn, " + std::to_string(counts.info) +
          " info, " + std::to_string(counts.skip) + " skip; " + format_duration(counts.duration) +
          " of case time";
  return text + "\n";
}

std::string render_terminal(const RunReport& report, const TerminalOptions& options) {
  std::size_t id_width = 0;
  std::size_t title_width = 0;
  for (const TargetReport& target : report.targets) {
    for (const CaseResult& result : target.cases) {
      id_width = std::max(id_width, display_width(printable(result.info.id, Lines::kFold)));
      title_width =
          std::max(title_width, std::min(kMaxTitleWidth + 1, display_width(result.info.title)));
    }
  }
  std::string out;
  for (const TargetReport& target : report.targets) {
    out += printable(target.name, Lines::kFold) + " (" + printable(target.address, Lines::kFold) +
           (target.is_reference ? ", reference" : "") + ")\n";
    for (const CaseResult& result : target.cases) {
      const Verdict verdict = result.outcome.verdict;
      const bool quiet_ok = verdict == Verdict::kPass || verdict == Verdict::kInfo;
      if (options.problems_only && quiet_ok) continue;
      out += render_case(result, id_width, title_width, options.color);
    }
    for (const std::string& note : target.notes) {
      out += "  note: " + printable(note, Lines::kFold) + "\n";
    }
    out += "\n";
  }
  for (const TargetReport& target : report.targets) {
    out += render_target_summary(target, options.color);
  }
  out += "seed: " + std::to_string(report.seed) + "\n";
  if (!options.replay_command.empty()) out += "replay: " + options.replay_command + "\n";
  return out;
}

std::string render_progress(std::size_t done, std::size_t total, const std::string& target,
                            const CaseResult& result) {
  const std::string count = std::to_string(total);
  char prefix[48];
  std::snprintf(prefix, sizeof prefix, "[%*zu/%zu] ", static_cast<int>(count.size()), done, total);
  return prefix + printable(target, Lines::kFold) + "  " + printable(result.info.id, Lines::kFold) +
         "  " + to_string(result.outcome.verdict);
}

}  // namespace echo::conformance::report
