#include "conformance/cli/list_command.h"

#include <algorithm>
#include <array>

#include "conformance/cli/exit_codes.h"
#include "conformance/report/escape.h"
#include "conformance/report/json_report.h"

namespace echo::conformance::cli {
namespace {

using Row = std::array<std::string, 5>;

Row row_of(const CaseInfo& info) {
  using report::Lines;
  using report::printable;
  return {printable(info.id, Lines::kFold),
          std::string(to_string(info.level)) + (info.opt_in ? " (opt-in)" : ""),
          to_string(info.transport), printable(info.source, Lines::kFold),
          printable(info.requirement, Lines::kFold)};
}

std::size_t width_of(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void print_table(const std::vector<Row>& rows, std::ostream& out) {
  std::array<std::size_t, 5> widths{};
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width_of(row[i]));
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i + 1 < row.size(); ++i) {
      line += row[i] + std::string(widths[i] - width_of(row[i]) + 2, ' ');
    }
    out << line << row.back() << '\n';
  }
}

}  // namespace

int run_list(const Selection& selection, bool json, std::ostream& out, std::ostream& err) {
  Result<std::vector<const Case*>> cases = select_cases(selection);
  if (!cases) {
    err << "echo-conformance: " << cases.error().message << '\n';
    return kExitUsage;
  }
  if (json) {
    std::vector<CaseInfo> infos;
    for (const Case* c : *cases) infos.push_back(c->info);
    out << report::render_catalogue_json(infos);
    return kExitPassed;
  }
  std::vector<Row> rows{{"ID", "LEVEL", "TRANSPORT", "SOURCE", "REQUIREMENT"}};
  for (const Case* c : *cases) rows.push_back(row_of(c->info));
  print_table(rows, out);
  return kExitPassed;
}

}  // namespace echo::conformance::cli
