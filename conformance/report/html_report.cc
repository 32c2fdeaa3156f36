#include "conformance/report/html_report.h"

#include <set>
#include <sstream>

#include "conformance/report/escape.h"
#include "conformance/report/html_style.h"
#include "conformance/report/summary.h"

namespace echo::conformance::report {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

// Every case of the run once, in the order the targets list them.
std::vector<CaseInfo> rows_of(const RunReport& report) {
  std::vector<CaseInfo> rows;
  std::set<std::string> seen;
  for (const TargetReport& target : report.targets) {
    for (const CaseResult& result : target.cases) {
      if (seen.insert(result.info.id).second) rows.push_back(result.info);
    }
  }
  return rows;
}

// The verdict name of a case on a target, "none" when it was not run there.
std::string verdict_name(const CaseResult* result) {
  return result == nullptr ? "none" : to_string(result->verdict);
}

bool differs_from_reference(const RunReport& report, const std::string& id) {
  const TargetReport* reference = reference_target(report);
  if (reference == nullptr) return false;
  const std::string expected = verdict_name(find_case(*reference, id));
  for (const TargetReport& target : report.targets) {
    if (verdict_name(find_case(target, id)) != expected) return true;
  }
  return false;
}

void write_header(std::ostream& out, const RunReport& report) {
  out << "<header>\n<h1>RFC 862 echo conformance</h1>\n<dl class=\"run\">"
      << "<div><dt>Seed</dt><dd id=\"seed\">" << report.seed << "</dd></div>"
      << "<div><dt>Started</dt><dd id=\"started-at\">" << markup_text(report.started_at)
      << "</dd></div><div><dt>Timeout scale</dt><dd>" << report.timeout_scale << "</dd></div>";
  if (const TargetReport* reference = reference_target(report)) {
    out << "<div><dt>Reference</dt><dd>" << markup_text(reference->name) << "</dd></div>";
  }
  out << "</dl>\n<ul class=\"legend\">"
      << "<li><span class=\"swatch verdict-pass\">pass</span>met</li>"
      << "<li><span class=\"swatch verdict-fail\">fail</span>requirement or recommendation "
         "broken</li>"
      << "<li><span class=\"swatch verdict-warn\">warn</span>recommended behaviour missing</li>"
      << "<li><span class=\"swatch verdict-info\">info</span>measurement</li>"
      << "<li><span class=\"swatch verdict-skip\">skip</span>not run</li>"
      << "<li><span class=\"swatch verdict-not-judged\">not judged</span>could not be judged "
         "(see the finding)</li>"
      << "<li><span class=\"swatch differs\">row</span>verdict differs from the reference</li>"
      << "</ul>\n<div class=\"controls\"><button id=\"expand\" type=\"button\">Expand all</button>"
      << "<button id=\"collapse\" type=\"button\">Collapse all</button><label><input "
         "type=\"checkbox\" id=\"only-problems\"> Only rows with a non-pass or a difference"
         "</label></div>\n</header>\n";
}

void write_column_heads(std::ostream& out, const RunReport& report) {
  out << "<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Level</th>";
  for (const TargetReport& target : report.targets) {
    const VerdictCounts counts = count_verdicts(target);
    out << "<th scope=\"col\" class=\"target\">" << markup_text(target.name)
        << (target.is_reference ? " <span class=\"badge\">reference</span>" : "") << "<small>"
        << markup_text(target.address) << "</small><span class=\"counts\">" << counts.pass
        << " pass · " << counts.fail << " fail (" << counts.required_failures << " required) · "
        << counts.warn << " warn · " << counts.info << " info · " << counts.skip << " skip · "
        << counts.not_judged << " not judged</span>";
    for (const std::string& note : target.notes) {
      out << "<span class=\"note\">" << markup_text(note) << "</span>";
    }
    out << "</th>";
  }
  out << "</tr></thead>\n";
}

void write_details(std::ostream& out, const CaseResult& result) {
  const Observation& outcome = result.observation;
  if (!result.diagnosis.empty()) {
    out << "<p class=\"diagnosis\">explained by <code>" << markup_text(result.diagnosis)
        << "</code> (see Findings)</p>";
  }
  if (!outcome.expected.empty() || !outcome.actual.empty()) {
    out << "<dl><dt>Expected</dt><dd>" << markup_text(outcome.expected)
        << "</dd><dt>Actual</dt><dd>" << markup_text(outcome.actual) << "</dd></dl>";
  }
  if (!outcome.evidence.empty()) {
    out << "<pre class=\"evidence\">" << markup_text(outcome.evidence) << "</pre>";
  }
  if (!outcome.figures.empty()) {
    out << "<table class=\"figures\">";
    for (const Figure& figure : outcome.figures) {
      out << "<tr><td>" << markup_text(figure.name) << "</td><td>" << figure.value << ' '
          << markup_text(figure.unit) << "</td></tr>";
    }
    out << "</table>";
  }
}

// What a closed cell shows under its verdict: the first line of evidence of a
// non-pass, or the first figures of a measurement.
std::string preview_of(const CaseResult& result) {
  const Observation& outcome = result.observation;
  if (!result.diagnosis.empty())
    return "[" + result.diagnosis + "] " + first_line(outcome.evidence, 60);
  if (result.verdict == Verdict::kInfo) {
    std::ostringstream figures;
    for (std::size_t i = 0; i < outcome.figures.size() && i < 2; ++i) {
      const Figure& figure = outcome.figures[i];
      figures << (i == 0 ? "" : ", ") << figure.name << ' ' << figure.value << ' ' << figure.unit;
    }
    return figures.str();
  }
  if (result.verdict == Verdict::kPass) return "";
  return first_line(outcome.evidence, 70);
}

void write_cell(std::ostream& out, const TargetReport& target, const CaseResult* result,
                const std::string& reference_verdict) {
  const std::string verdict = verdict_name(result);
  const bool differs = !reference_verdict.empty() && verdict != reference_verdict;
  out << "<td class=\"cell verdict-" << verdict << (differs ? " differs-cell" : "")
      << "\" data-target=\"" << markup_attribute(target.name) << "\" data-verdict=\"" << verdict
      << "\">";
  if (result == nullptr) {
    out << "—</td>";
    return;
  }
  out << "<details><summary>" << verdict << " <span class=\"duration\">"
      << format_duration(result->duration) << "</span>";
  const std::string preview = preview_of(*result);
  if (!preview.empty()) out << "<span class=\"preview\">" << markup_text(preview) << "</span>";
  out << "</summary>";
  write_details(out, *result);
  out << "</details></td>";
}

void write_row(std::ostream& out, const RunReport& report, const CaseInfo& info) {
  const bool differs = differs_from_reference(report, info.id);
  bool problem = differs;
  for (const TargetReport& target : report.targets) {
    const CaseResult* result = find_case(target, info.id);
    problem = problem || result == nullptr ||
              (result->verdict != Verdict::kPass && result->verdict != Verdict::kInfo);
  }
  const TargetReport* reference = reference_target(report);
  const std::string reference_verdict =
      reference == nullptr ? "" : verdict_name(find_case(*reference, info.id));
  out << "<tr class=\"case" << (differs ? " differs" : "") << (problem ? " problem" : "")
      << "\" data-case=\"" << markup_attribute(info.id) << "\"><th scope=\"row\" class=\"case\""
      << " title=\"" << markup_attribute(info.requirement) << "\"><code>" << markup_text(info.id)
      << "</code><div class=\"title\">" << markup_text(info.title) << "</div><div class=\"source\">"
      << markup_text(info.source) << " · " << to_string(info.transport) << "</div></th>"
      << "<td class=\"level level-" << to_string(info.level) << "\">" << to_string(info.level)
      << "</td>";
  for (const TargetReport& target : report.targets) {
    write_cell(out, target, find_case(target, info.id), reference_verdict);
  }
  out << "</tr>\n";
}

// The findings of every target, above the matrix: what is wrong and why.
void write_findings(std::ostream& out, const RunReport& report) {
  out << "<section class=\"findings\" id=\"findings\">\n<h2>Findings</h2>\n";
  bool any = false;
  for (const TargetReport& target : report.targets) {
    if (target.findings.empty()) continue;
    any = true;
    out << "<h3>" << markup_text(target.name) << " <small>" << markup_text(target.address)
        << "</small></h3>\n<ol class=\"finding-list\">\n";
    for (const Finding& finding : target.findings) {
      out << "<li class=\"finding severity-" << to_string(finding.severity) << "\" id=\"finding-"
          << markup_attribute(finding.id)
          << "\"><div class=\"finding-head\"><span class=\"severity\">"
          << to_string(finding.severity) << "</span> <code>" << markup_text(finding.id)
          << "</code> " << markup_text(finding.title) << "</div><p>"
          << markup_text(finding.explanation) << "</p><p class=\"explains\">explains ";
      for (std::size_t i = 0; i < finding.cases.size(); ++i) {
        out << (i == 0 ? "" : ", ") << "<code>" << markup_text(finding.cases[i]) << "</code>";
      }
      out << " · <code>echo-conformance explain " << markup_text(finding.id)
          << "</code></p></li>\n";
    }
    out << "</ol>\n";
  }
  if (!any) out << "<p class=\"no-findings\">No defect found.</p>\n";
  out << "</section>\n";
}

}  // namespace

std::string render_html(const RunReport& report) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << kCsp << "\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>echo-conformance report, seed " << report.seed << "</title>\n<style>" << kHtmlStyle
      << "</style>\n</head>\n<body>\n";
  write_header(out, report);
  write_findings(out, report);
  out << "<table class=\"matrix\">\n";
  write_column_heads(out, report);
  out << "<tbody>\n";
  for (const CaseInfo& info : rows_of(report)) write_row(out, report, info);
  out << "</tbody>\n</table>\n<script>" << kHtmlScript << "</script>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace echo::conformance::report
