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
    case Verdict::kNotJudged:
      return "\x1b[2m";  // dim
  }
  return "";
}

const char* ansi_colour(Finding::Severity severity) {
  switch (severity) {
    case Finding::Severity::kError:
      return "\x1b[1;31m";
    case Finding::Severity::kWarning:
      return "\x1b[1;33m";
    case Finding::Severity::kNote:
      return "\x1b[1;36m";
  }
  return "";
}

// `text` wrapped at spaces to lines of at most `width` characters, each
// starting with `indent`.
std::string wrapped(const std::string& text, const std::string& indent, std::size_t width) {
  std::string out;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string label(Verdict verdict, bool color) {
  // Four characters wide like the others; the evidence line says "not judged".
  std::string text = verdict == Verdict::kNotJudged ? "----" : to_string(verdict);
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

std::string evidence_line(const Observation& observation) {
  std::string line;
  if (!observation.expected.empty() || !observation.actual.empty()) {
    line = "expected " + observation.expected + ", actual " + observation.actual;
  }
  if (!observation.evidence.empty()) {
    if (!line.empty()) line += " — ";
    line += observation.evidence;
  }
  return first_line(printable(line, Lines::kKeep), kEvidenceChars);
}

}  // namespace

bool color_wanted(bool stdout_is_terminal, const char* no_color) noexcept {
  return stdout_is_terminal && (no_color == nullptr || no_color[0] == '\0');
}

std::string render_finding(const Finding& finding, bool color, std::size_t width) {
  std::string head = std::string(to_string(finding.severity)) + "[" + finding.id + "]";
  if (color) head = ansi_colour(finding.severity) + head + "\x1b[0m";
  std::string out = "  " + head + ": " + printable(finding.title, Lines::kFold) + "\n";
  out += wrapped(printable(finding.explanation, Lines::kFold), "      ", width);
  std::string cases;
  for (const std::string& id : finding.cases) cases += (cases.empty() ? "" : ", ") + id;
  out += wrapped("explains " + std::to_string(finding.cases.size()) +
                     (finding.cases.size() == 1 ? " case: " : " cases: ") + cases,
                 "      ", width);
  out += "      more: echo-conformance explain " + finding.id + "\n";
  return out;
}

std::string render_case(const CaseResult& result, std::size_t id_width, std::size_t title_width,
                        bool color) {
  const std::string title = first_line(printable(result.info.title, Lines::kFold), kMaxTitleWidth);
  std::string line = "  " + label(result.verdict, color) + "  " +
                     pad(printable(result.info.id, Lines::kFold), id_width) + "  " +
                     pad(title, title_width) + "  " + format_duration(result.duration);
  if (!result.diagnosis.empty()) line += "  [" + result.diagnosis + "]";
  line += "\n";
  if (result.verdict == Verdict::kPass) return line;
  std::string evidence = evidence_line(result.observation);
  if (result.verdict == Verdict::kNotJudged) evidence = "not judged: " + evidence;
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
          " info, " + std::to_string(counts.skip) + " skip, " + std::to_string(counts.not_judged) +
          " not judged; " + std::to_string(target.findings.size()) +
          (target.findings.size() == 1 ? " finding; " : " findings; ") +
          format_duration(counts.duration) + " of case time";
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
    for (const Finding& finding : target.findings) {
      out += render_finding(finding, options.color);
    }
    if (!target.findings.empty()) out += "\n";
    for (const CaseResult& result : target.cases) {
      const Verdict verdict = result.verdict;
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
         "  " + to_string(result.verdict);
}

}  // namespace echo::conformance::report
