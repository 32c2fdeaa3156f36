#include "conformance/cli/check_command.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "conformance/cli/exit_codes.h"
#include "conformance/cli/progress.h"
#include "conformance/cli/reference_server.h"
#include "conformance/cli/targets.h"
#include "conformance/record/corpus_recorder.h"
#include "conformance/record/fuzz_inputs.h"
#include "conformance/report/html_report.h"
#include "conformance/report/json_report.h"
#include "conformance/report/junit_report.h"
#include "conformance/report/summary.h"
#include "conformance/report/terminal_report.h"
#include "conformance/runner/runner.h"
#include "core/util/write_file.h"

namespace echo::conformance::cli {
namespace {

// Everything a run needs, checked before any case runs.
struct Plan {
  std::uint64_t seed = 0;
  std::vector<ReportRequest> reports;
  std::vector<const Case*> cases;
  std::shared_ptr<CorpusRecorder> recorder;  // --record-corpus, else null
};

Result<Plan> make_plan(const RunArgs& args) {
  Plan plan;
  ECHO_ASSIGN_OR_RETURN(plan.reports, parse_report_requests(args.reports));
  ECHO_TRY(check_report_folders(plan.reports));
  ECHO_ASSIGN_OR_RETURN(plan.seed, seed_or_random(args.seed_text));
  const Selection selection{args.cases, args.exclude, args.tcp_only, args.udp_only, args.stress};
  ECHO_ASSIGN_OR_RETURN(plan.cases, select_cases(selection));
  if (!args.record_corpus.empty()) {
    plan.recorder = std::make_shared<CorpusRecorder>(args.record_corpus);
    ECHO_TRY(plan.recorder->prepare());
  }
  return plan;
}

Result<std::vector<Target>> user_targets(const RunArgs& args) {
  ECHO_ASSIGN_OR_RETURN(const std::vector<TargetSpec> specs, parse_target_specs(args.targets));
  std::vector<Target> targets;
  const TargetOptions options{!args.udp_only, args.timeout_scale};
  for (const TargetSpec& spec : specs) {
    ECHO_ASSIGN_OR_RETURN(Target target, prepare_target(spec, options));
    targets.push_back(std::move(target));
  }
  return targets;
}

std::set<std::string> names_of(const std::vector<Target>& targets) {
  std::set<std::string> names;
  for (const Target& target : targets) names.insert(target.name);
  return names;
}

std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string render(ReportFormat format, const RunReport& report) {
  switch (format) {
    case ReportFormat::kJson:
      return report::render_json(report);
    case ReportFormat::kJunit:
      return report::render_junit(report);
    case ReportFormat::kHtml:
      return report::render_html(report);
  }
  return "";
}

// The targets as target_list_fuzzer inputs: every address checked (the
// reference server's included) and the HOST:PORT of each [NAME=]HOST:PORT typed.
void record_targets(CorpusRecorder& recorder, const std::vector<Target>& targets,
                    const RunArgs& args) {
  constexpr std::string_view kScope = "targets";
  for (const Target& target : targets) {
    recorder.record(kScope, kTargetListFuzzer, target_list_input(target.address.to_string()));
  }
  Result<std::vector<TargetSpec>> specs = parse_target_specs(args.targets);
  if (!specs) return;
  for (const TargetSpec& spec : *specs) {
    recorder.record(kScope, kTargetListFuzzer, target_list_input(spec.address));
  }
}

RunReport run_with_progress(const RunArgs& args, const Plan& plan,
                            const std::vector<Target>& targets, std::ostream& err) {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  Progress progress(Progress::mode_for(terminal, args.no_progress || args.quiet), err,
                    plan.cases.size() * targets.size(), terminal_width());
  RunOptions options;
  options.seed = plan.seed;
  options.timeout_scale = args.timeout_scale;
  options.jobs = args.jobs;
  options.recorder = plan.recorder;
  options.stress_connections = args.stress_connections;
  options.on_case_done = [&progress](const TargetReport& target, const CaseResult& result) {
    progress.done(target, result);
  };
  RunReport report = run_cases(plan.cases, targets, options);
  progress.finish();
  report.seed = plan.seed;
  report.timeout_scale = args.timeout_scale;
  return report;
}

void report_recording(const CorpusRecorder& recorder, const RunArgs& args, std::ostream& out,
                      std::ostream& err) {
  if (const std::string error = recorder.first_error(); !error.empty()) {
    err << "echo-conformance: --record-corpus: " << error << '\n';
  }
  if (!args.quiet) {
    out << "recorded " << recorder.recorded() << " fuzz inputs into " << recorder.folder().string()
        << " (add them with tools/fuzz-corpus-add TARGET " << recorder.folder().string()
        << "/TARGET)\n";
  }
}

}  // namespace

int exit_code_for(const RunReport& report, const std::set<std::string>& judged) {
  for (const TargetReport& target : report.targets) {
    if (!judged.empty() && judged.count(target.name) == 0) continue;
    if (report::count_verdicts(target).required_failures > 0) return kExitRequiredFailed;
  }
  return kExitPassed;
}

int run_check(const RunArgs& args, std::ostream& out, std::ostream& err) {
  Result<Plan> plan = make_plan(args);
  if (!plan) {
    err << "echo-conformance: " << plan.error().message << '\n';
    return kExitUsage;
  }
  Result<std::vector<Target>> named = user_targets(args);
  if (!named) {
    err << "echo-conformance: " << named.error().message << '\n';
    return kExitUsage;
  }
  std::optional<ReferenceServer> reference;
  std::vector<Target> targets;
  if (args.targets.empty() || args.with_reference) {
    const bool ipv6 = args.targets.empty() && ipv6_loopback_works();
    Result<ReferenceServer> started = ReferenceServer::start({ipv6, args.timeout_scale});
    if (!started) {
      err << "echo-conformance: " << started.error().message << '\n';
      return kExitUsage;
    }
    reference.emplace(std::move(*started));
    targets = reference->targets();
  }
  targets.insert(targets.end(), named->begin(), named->end());

  out << "checking " << plan->cases.size() << " cases against";
  for (const Target& target : targets)
    out << ' ' << target.name << " (" << target.address.to_string() << ')';
  out << " with seed " << plan->seed << ", " << args.jobs << " jobs\n" << std::flush;

  if (plan->recorder) record_targets(*plan->recorder, targets, args);
  const RunReport report = run_with_progress(args, *plan, targets, err);
  reference.reset();  // stop the server before the reports are written
  if (plan->recorder) report_recording(*plan->recorder, args, out, err);

  report::TerminalOptions terminal;
  terminal.color = report::color_wanted(::isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"));
  terminal.problems_only = args.quiet;
  terminal.replay_command = replay_command(args, plan->seed);
  out << report::render_terminal(report, terminal) << std::flush;

  int code = exit_code_for(report, names_of(*named));
  for (const ReportRequest& request : plan->reports) {
    Status written = write_file_atomically(request.path, render(request.format, report));
    if (!written) {
      err << "echo-conformance: " << written.error().message << '\n';
      code = kExitUsage;
      continue;
    }
    if (!args.quiet) out << format_name(request.format) << " report: " << request.path << '\n';
  }
  return code;
}

}  // namespace echo::conformance::cli
