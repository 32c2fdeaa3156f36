#include "conformance/cli/replay_command.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "conformance/cli/exit_codes.h"
#include "conformance/cli/live_target.h"
#include "conformance/cli/options.h"
#include "conformance/cli/reference_server.h"
#include "conformance/explore/evidence.h"
#include "conformance/explore/script_text.h"
#include "conformance/explore/trial.h"
#include "conformance/report/escape.h"

namespace echo::conformance::cli {
namespace {

using explore::Outcome;
using explore::Script;

// The most a script file may hold (a script is text of at most 4,096 steps).
constexpr std::size_t kMaxFileBytes = 16 << 20;

Result<Script> read_script(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "'"};
  std::string text;
  text.resize(kMaxFileBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes)
    return Error{"'" + path + "' is larger than 16 MiB: not a script"};
  ECHO_ASSIGN_OR_RETURN(Script script, explore::parse_script(text).with_context(path));
  if (script.steps.empty()) return Error{path + ": the script has no steps"};
  return script;
}

bool has_tcp(const Script& script) {
  for (const explore::Step& step : script.steps) {
    if (step.kind == explore::Step::Kind::kConnect) return true;
  }
  return false;
}

bool only_loss(const Outcome& o) {
  if (o.difference || o.target_stopped || !o.verdict.failed()) return false;
  for (const explore::ChannelFailure& f : o.verdict.failures) {
    if (!explore::rests_on_loss(f.finding)) return false;
  }
  return true;
}

void print_outcome(std::ostream& out, const Outcome& o) {
  for (const explore::ChannelFailure& c : o.verdict.failures) {
    for (const std::string& line : explore::evidence_lines(c)) {
      out << "  " << report::printable(line, report::Lines::kFold) << '\n';
    }
  }
  if (o.difference)
    out << "  " << report::printable(o.difference->describe(), report::Lines::kFold) << '\n';
  if (o.target_stopped) out << "  the server no longer accepts connections after the script\n";
}

}  // namespace

CLI::App* add_replay_command(CLI::App& app, ReplayArgs& args) {
  CLI::App* replay = app.add_subcommand(
      "replay", "run a saved script (from fuzz --out) against a server: exit 1 while it fails");
  replay->add_option("FILE", args.file, "the script")->required();
  replay->add_option("TARGET", args.target, "[NAME=]HOST:PORT of the server")->required();
  replay->add_option("--runs", args.runs, "run it N times; it fails if any run fails (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000u));
  replay->add_flag("--differential", args.differential,
                   "also run it against the reference server and report any difference");
  replay
      ->add_option("--reference", args.reference,
                   "HOST:PORT to compare with (implies --differential)")
      ->type_name("HOST:PORT");
  replay->add_option("--timeout-scale", args.timeout_scale, "multiply every wait by X (0.01-1000)")
      ->type_name("X");
  return replay;
}

int run_replay(const ReplayArgs& args, std::ostream& out, std::ostream& err) {
  if (Status scale = check_timeout_scale(args.timeout_scale); !scale) {
    err << "echo-conformance replay: " << scale.error().message << '\n';
    return kExitUsage;
  }
  Result<Script> script = read_script(args.file);
  if (!script) {
    err << "echo-conformance replay: " << script.error().message << '\n';
    return kExitUsage;
  }
  const bool tcp = has_tcp(*script);
  Result<LiveTarget> target = prepare_live_target(args.target, tcp, args.timeout_scale);
  if (!target) {
    err << "echo-conformance replay: " << target.error().message << '\n';
    return kExitUsage;
  }
  Result<ComparedReference> compared =
      prepare_reference(args.reference, args.differential, tcp, args.timeout_scale);
  if (!compared) {
    err << "echo-conformance replay: " << compared.error().message << '\n';
    return kExitUsage;
  }
  const std::optional<Endpoint> reference = compared->address;

  explore::ExecuteOptions execute = explore::scaled(explore::ExecuteOptions{}, args.timeout_scale);
  execute.target = target->address;
  explore::Trial trial(execute, reference);
  explore::TrialOptions options;
  options.probe_after = tcp;  // a server that dies of the script no longer accepts
  options.settle = std::max(std::chrono::milliseconds(200), execute.mismatch_wait * 4);
  std::size_t failed = 0;
  std::optional<Outcome> first;
  for (unsigned i = 0; i < args.runs; ++i) {
    Outcome o = trial.run({*script}, options).front();
    if (only_loss(o)) {
      // Loopback may drop datagrams under load: missing replies count only if
      // they are still missing with paced datagrams.
      explore::TrialOptions paced = options;
      paced.paced = true;
      o = trial.run({*script}, paced).front();
    }
    if (o.signature().empty()) continue;
    ++failed;
    if (!first) first = std::move(o);
    if (first->target_stopped) break;  // it will not serve the next run
  }
  const std::string runs = std::to_string(args.runs) + (args.runs == 1 ? " run" : " runs");
  if (failed == 0) {
    out << args.file << ": passes on " << target->name << " (" << runs << ")\n";
    return kExitPassed;
  }
  out << args.file << ": fails on " << target->name << " (" << failed << " of " << runs
      << "): " << first->signature().finding << '\n';
  print_outcome(out, *first);
  return kExitRequiredFailed;
}

}  // namespace echo::conformance::cli
