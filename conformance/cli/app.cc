#include "conformance/cli/app.h"

#include <CLI/CLI.hpp>
#include <string>

#include "conformance/cli/check_command.h"
#include "conformance/cli/exit_codes.h"
#include "conformance/cli/explain_command.h"
#include "conformance/cli/fuzz_command.h"
#include "conformance/cli/list_command.h"
#include "conformance/cli/options.h"
#include "conformance/cli/replay_command.h"
#include "core/version/version.h"

namespace echo::conformance::cli {
namespace {

constexpr const char* kDescription =
    "echo-conformance: checks RFC 862 echo servers (TCP and UDP) and reports per case.\n"
    "Without a command it starts the reference echo-server on loopback and checks it.";

void add_selection_options(CLI::App& app, RunArgs& args) {
  app.add_option("--cases", args.cases, "only cases whose id matches GLOB ('*', '?'); repeatable")
      ->type_name("GLOB");
  app.add_option("--exclude", args.exclude, "leave out cases whose id matches GLOB; repeatable")
      ->type_name("GLOB");
  auto* tcp = app.add_flag("--tcp-only", args.tcp_only, "only TCP cases");
  app.add_flag("--udp-only", args.udp_only, "only UDP cases (no TCP reachability probe)")
      ->excludes(tcp);
}

void add_run_options(CLI::App& app, RunArgs& args) {
  add_selection_options(app, args);
  app.add_option("--timeout-scale", args.timeout_scale,
                 "multiply every deadline by X (0.01-1000), for slow links (default 1)")
      ->type_name("X");
  app.add_option("--seed", args.seed_text,
                 "seed of every payload and chunking (default: random; printed for replay)")
      ->type_name("N");
  app.add_option("--jobs,-j", args.jobs, "cases run at once per target (1-64, default 4)")
      ->type_name("N")
      ->check(CLI::Range(1u, kMaxJobs));
  app.add_flag("--with-reference", args.with_reference,
               "also check our reference server, as the column others are compared to");
  app.add_option("--report", args.reports,
                 "also write a report: json=FILE, junit=FILE or html=FILE; repeatable")
      ->type_name("FORMAT=FILE");
  app.add_option("--record-corpus", args.record_corpus,
                 "also record the traffic as fuzz seeds: DIR/<fuzz target>/<sha256> (TCP echoes "
                 "for stream_verifier_fuzzer, text echoes for delimited_fuzzer, udp.burst replies "
                 "for probe_record_fuzzer, the targets for target_list_fuzzer; at most 8 inputs "
                 "of 64 KiB per case; see docs/fuzzing.md)")
      ->type_name("DIR");
  app.add_flag("--stress", args.stress,
               "also the opt-in cases that can hurt a production server (tcp.limits.*); "
               "--cases naming one runs it too");
  app.add_option("--stress-connections", args.stress_connections,
                 "connections tcp.limits.connections tries to hold at once (default 1000)")
      ->type_name("N")
      ->check(CLI::Range(1, kMaxStressConnections));
  app.add_flag("--no-progress", args.no_progress, "no progress lines on stderr");
  app.add_flag("--quiet,-q", args.quiet, "only non-passing cases and the summary; no progress");
}

}  // namespace

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{kDescription, "echo-conformance"};
  const std::string footer = std::string(kVerdictsHelp) + "\n\n" + kExitCodesHelp;
  app.footer(footer);
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", version_line("echo-conformance"));
  RunArgs args;
  add_run_options(app, args);

  CLI::App* check = app.add_subcommand("check", "check echo servers you name");
  check->footer(footer);
  check
      ->add_option("TARGET", args.targets,
                   "[NAME=]HOST:PORT or [NAME=][IPV6]:PORT; HOST names are resolved. NAME "
                   "([A-Za-z0-9._-]+, unique) labels the report column; without it the column "
                   "is named HOST:PORT")
      ->required();
  add_run_options(*check, args);

  RunArgs list_args;
  bool list_json = false;
  CLI::App* list = app.add_subcommand("list", "print the catalogue of cases");
  add_selection_options(*list, list_args);
  list->add_flag("--json", list_json, "as a JSON array");
  list->footer(kVerdictsHelp);

  std::string explain_id;
  bool explain_list = false;
  CLI::App* explain =
      app.add_subcommand("explain", "what a finding means, its likely cause and how to fix it");
  explain->add_option("ID", explain_id, "a finding id, as the reports print it (e.g. nul-cut)");
  explain->add_flag("--list", explain_list, "list every finding id with its title");

  FuzzArgs fuzz_args;
  CLI::App* fuzz = add_fuzz_command(app, fuzz_args);
  fuzz->footer(kExitCodesHelp);
  ReplayArgs replay_args;
  CLI::App* replay = add_replay_command(app, replay_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help, --version
    err << "echo-conformance: " << e.what() << " (see echo-conformance --help)\n";
    return kExitUsage;
  }
  if (*fuzz) return run_fuzz(fuzz_args, out, err);
  if (*replay) return run_replay(replay_args, out, err);
  if (Status scale = check_timeout_scale(args.timeout_scale); !scale) {
    err << "echo-conformance: " << scale.error().message << " (see echo-conformance --help)\n";
    return kExitUsage;
  }
  if (*explain) return run_explain(explain_id, explain_list, out, err);
  if (*list) {
    const Selection selection{list_args.cases, list_args.exclude, list_args.tcp_only,
                              list_args.udp_only, /*stress=*/true};
    return run_list(selection, list_json, out, err);
  }
  return run_check(args, out, err);
}

}  // namespace echo::conformance::cli
