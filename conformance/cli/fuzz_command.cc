#include "conformance/cli/fuzz_command.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "conformance/cli/exit_codes.h"
#include "conformance/cli/live_target.h"
#include "conformance/cli/options.h"
#include "conformance/cli/reference_server.h"
#include "conformance/explore/campaign.h"
#include "conformance/explore/evidence.h"
#include "conformance/explore/fuzz_report.h"
#include "conformance/explore/saved_script.h"
#include "conformance/explore/script_text.h"
#include "conformance/findings/kinds.h"
#include "conformance/report/escape.h"
#include "core/util/human_text.h"
#include "core/util/write_file.h"

namespace echo::conformance::cli {
namespace {

using namespace std::chrono_literals;
using explore::CampaignOptions;
using explore::CampaignProgress;
using explore::CampaignResult;
using explore::FuzzFailure;

constexpr double kMaxDuration = 7 * 24 * 3600;
// Descriptors a script may hold at once (connections, sockets, quarantine).
constexpr std::size_t kDescriptorsPerScript = 16;

// Set by SIGINT/SIGTERM: the run stops, confirms what it has, and reports.
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

// Restores the previous handlers when it goes.
class InterruptScope {
 public:
  InterruptScope() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous_int_);
    ::sigaction(SIGTERM, &action, &previous_term_);
  }
  ~InterruptScope() {
    ::sigaction(SIGINT, &previous_int_, nullptr);
    ::sigaction(SIGTERM, &previous_term_, nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

// Raises the soft descriptor limit to the hard one; returns what is allowed.
std::size_t descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
    (void)::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur == RLIM_INFINITY ? 1 << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

std::string shape(const explore::Script& s) {
  return std::to_string(s.steps.size()) + " step" + (s.steps.size() == 1 ? "" : "s") + ", " +
         with_commas(s.bytes()) + " byte" + (s.bytes() == 1 ? "" : "s");
}

// What the run needs, checked before anything starts.
struct Plan {
  std::uint64_t seed = 0;
  std::vector<ReportRequest> reports;
  std::chrono::milliseconds duration{0};
};

Result<Plan> make_plan(const FuzzArgs& args) {
  Plan plan;
  if (!std::isfinite(args.duration) || args.duration <= 0 || args.duration > kMaxDuration) {
    return Error{"--duration must be a number of seconds above 0 and at most 604800 (a week)"};
  }
  plan.duration = std::chrono::milliseconds(static_cast<long long>(args.duration * 1000));
  ECHO_TRY(check_timeout_scale(args.timeout_scale));
  if (args.target.empty() == args.spawn.empty()) {
    return Error{args.spawn.empty() ? "name a TARGET, or start the server with --spawn 'CMD {port}'"
                                    : "give either a TARGET or --spawn, not both"};
  }
  ECHO_ASSIGN_OR_RETURN(plan.reports, parse_report_requests(args.reports));
  for (const ReportRequest& request : plan.reports) {
    if (request.format == ReportFormat::kJunit) {
      return Error{"--report junit=" + request.path + ": fuzz writes json= and html= reports"};
    }
  }
  ECHO_TRY(check_report_folders(plan.reports));
  ECHO_ASSIGN_OR_RETURN(plan.seed, seed_or_random(args.seed_text));
  return plan;
}

// The live progress line on a terminal; plain lines every 10 s otherwise.
class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool terminal, bool enabled, std::string target)
      : err_(err), terminal_(terminal), enabled_(enabled), target_(std::move(target)) {}

  void show(const CampaignProgress& p) {
    if (!enabled_) return;
    const auto seconds = std::chrono::duration<double>(p.elapsed).count();
    if (!terminal_ && seconds - last_line_ < 10 && p.activity != "done") return;
    last_line_ = seconds;
    char text[160];
    std::snprintf(text, sizeof text, "fuzzing %s: %.0f s, %s scripts (%.0f/s), %zu failure%s, %s",
                  target_.c_str(), seconds, with_commas(p.scripts_run).c_str(), p.scripts_per_s,
                  p.failures, p.failures == 1 ? "" : "s", p.activity.c_str());
    if (terminal_) {
      err_ << "\r\033[K" << text << std::flush;
      shown_ = true;
    } else if (p.activity != "done") {
      err_ << text << '\n';
    }
  }
  // Clears the live line before other output.
  void clear() {
    if (shown_) err_ << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  bool terminal_;
  bool enabled_;
  std::string target_;
  double last_line_ = -100;
  bool shown_ = false;
};

void print_failure(std::ostream& out, const FuzzFailure& f, std::size_t number,
                   const std::string& target) {
  std::string title;
  if (const FindingKind* kind = find_kind(f.signature.finding))
    title = ": " + std::string(kind->title);
  out << "failure " << number << ": " << f.signature.finding << title << " (failed " << f.reproduced
      << " of " << f.reruns << " runs" << (f.flaky ? ", flaky" : "");
  if (f.script != f.found) {
    out << "; shrunk from " << shape(f.found) << " to " << shape(f.script) << " in "
        << f.shrink_runs << " runs";
  }
  out << ")\n";
  for (const explore::ChannelFailure& c : f.outcome.verdict.failures) {
    for (const std::string& line : explore::evidence_lines(c)) {
      out << "  " << report::printable(line, report::Lines::kFold) << '\n';
    }
  }
  if (f.outcome.difference) {
    out << "  " << report::printable(f.outcome.difference->describe(), report::Lines::kFold)
        << '\n';
  }
  if (f.outcome.verdict.failures.empty() && !f.outcome.difference) {
    out << "  " << report::printable(f.detail, report::Lines::kFold) << '\n';
  }
  if (!f.saved.empty()) out << "  script: " << f.saved << '\n';
  for (const std::string& line : [&] {
         std::vector<std::string> lines;
         std::string text = explore::print_script(f.script);
         std::size_t start = 0;
         while (start < text.size() && lines.size() < 12) {
           const std::size_t end = text.find('\n', start);
           lines.push_back(text.substr(start, end - start));
           start = end + 1;
         }
         if (start < text.size()) lines.emplace_back("...");
         return lines;
       }()) {
    out << "    " << report::first_line(line, 160) << '\n';
  }
  for (const std::string& path : f.saved_suspects) out << "  suspect: " << path << '\n';
  if (!f.saved.empty()) {
    out << "  replay: echo-conformance replay " << shell_quote(f.saved) << ' '
        << shell_quote(target) << '\n';
  }
}

void print_summary(std::ostream& out, const CampaignResult& r) {
  out << with_commas(r.scripts_run) << " scripts in "
      << static_cast<long long>(std::chrono::duration<double>(r.elapsed).count()) << " s ("
      << static_cast<long long>(r.scripts_per_s) << " scripts/s while fuzzing), "
      << r.failures.size() << " failure" << (r.failures.size() == 1 ? "" : "s");
  if (r.restarts > 0) out << ", " << r.restarts << " restart" << (r.restarts == 1 ? "" : "s");
  out << "; stopped: " << to_string(r.stop) << '\n';
  for (const auto& [signature, times] : r.unconfirmed) {
    out << "dismissed " << times << " time" << (times == 1 ? "" : "s")
        << " (never failed again when re-run alone): " << signature << '\n';
  }
}

}  // namespace

CLI::App* add_fuzz_command(CLI::App& app, FuzzArgs& args) {
  CLI::App* fuzz = app.add_subcommand(
      "fuzz", "throw generated conversations at a running server; shrink and save each failure");
  fuzz->add_option("TARGET", args.target,
                   "[NAME=]HOST:PORT of the server (TCP and UDP); not with --spawn");
  fuzz->add_option("--duration", args.duration, "seconds of fuzzing (default 60)")->type_name("S");
  fuzz->add_option("--seed", args.seed_text, "seed of every script (default: random; printed)")
      ->type_name("N");
  fuzz->add_option("--jobs,-j", args.jobs, "threads running scripts (1-64, default 1)")
      ->type_name("N")
      ->check(CLI::Range(1u, kMaxJobs));
  fuzz->add_option("--in-flight", args.in_flight, "scripts at once per job (1-4096, default 128)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  auto* tcp = fuzz->add_flag("--tcp-only", args.tcp_only, "only TCP connections");
  fuzz->add_flag("--udp-only", args.udp_only, "only UDP sockets")->excludes(tcp);
  fuzz->add_flag("--differential", args.differential,
                 "run every script against the reference server too and report every difference");
  fuzz->add_option("--reference", args.reference,
                   "HOST:PORT of the server to compare with (implies --differential; default: "
                   "the built-in reference server)")
      ->type_name("HOST:PORT");
  fuzz->add_option("--out", args.out, "folder for the failing scripts (default fuzz-out)")
      ->type_name("DIR");
  fuzz->add_option("--report", args.reports, "also write json=FILE or html=FILE; repeatable")
      ->type_name("FORMAT=FILE");
  fuzz->add_option("--spawn", args.spawn,
                   "start the server with this shell command, {port} replaced by a free port, "
                   "and restart it after a crash")
      ->type_name("'CMD {port}'");
  fuzz->add_option("--max-failures", args.max_failures, "stop after N failures (default: no limit)")
      ->type_name("N");
  fuzz->add_option("--timeout-scale", args.timeout_scale,
                   "multiply every wait (stall 1 s, script 10 s, ...) by X (0.01-1000)")
      ->type_name("X");
  fuzz->add_flag("--no-progress", args.no_progress, "no progress line on stderr");
  fuzz->add_flag("--quiet,-q", args.quiet, "only failures and the summary");
  return fuzz;
}

int run_fuzz(const FuzzArgs& args, std::ostream& out, std::ostream& err) {
  Result<Plan> plan = make_plan(args);
  if (!plan) {
    err << "echo-conformance fuzz: " << plan.error().message
        << " (see echo-conformance fuzz --help)\n";
    return kExitUsage;
  }
  const bool tcp = !args.udp_only;
  const bool udp = !args.tcp_only;

  std::unique_ptr<explore::SpawnedServer> spawned;
  std::string target_name;
  Endpoint target;
  if (!args.spawn.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(args.out, ignored);
    explore::SpawnOptions spawn;
    spawn.log = (std::filesystem::path(args.out) / "spawned-server.log").string();
    spawn.wait_for_tcp = tcp;
    Result<std::unique_ptr<explore::SpawnedServer>> started =
        explore::SpawnedServer::start(args.spawn, spawn);
    if (!started) {
      err << "echo-conformance fuzz: " << started.error().message << '\n';
      return kExitUsage;
    }
    spawned = std::move(*started);
    target = spawned->endpoint();
    target_name = target.to_string();
  } else {
    Result<LiveTarget> live = prepare_live_target(args.target, tcp, args.timeout_scale);
    if (!live) {
      err << "echo-conformance fuzz: " << live.error().message << '\n';
      return kExitUsage;
    }
    target = live->address;
    target_name = args.target;
  }

  explore::GeneratorOptions generator{tcp, udp};
  if (udp && udp_service(target) == UdpService::kRefused) {
    if (!tcp) {
      err << "echo-conformance fuzz: " << target_name
          << " serves no UDP (ICMP port unreachable) and --udp-only leaves nothing to fuzz\n";
      return kExitUsage;
    }
    out << "note: " << target_name << " serves no UDP (ICMP port unreachable): fuzzing TCP only\n";
    generator.udp = false;
  }

  Result<ComparedReference> compared =
      prepare_reference(args.reference, args.differential, tcp, args.timeout_scale);
  if (!compared) {
    err << "echo-conformance fuzz: " << compared.error().message << '\n';
    return kExitUsage;
  }
  const std::optional<Endpoint> reference = compared->address;

  CampaignOptions options;
  options.execute = explore::scaled(explore::ExecuteOptions{}, args.timeout_scale);
  options.execute.target = target;
  options.reference = reference;
  options.duration = plan->duration;
  options.seed = plan->seed;
  options.jobs = args.jobs;
  const std::size_t limit = descriptor_limit();
  options.in_flight = std::max<std::size_t>(
      1,
      std::min(args.in_flight, limit / (kDescriptorsPerScript * args.jobs * (reference ? 2 : 1))));
  options.generator = generator;
  options.max_failures = args.max_failures;
  options.shrink_time = std::chrono::milliseconds(
      static_cast<long long>(120'000 * std::max(1.0, args.timeout_scale)));
  options.spawned = spawned.get();
  options.detect_stops = generator.tcp;
  options.interrupted = &g_interrupted;

  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  ProgressLine progress(err, terminal, !args.no_progress && !args.quiet, target_name);
  const explore::SaveContext save{target_name, plan->seed};
  bool save_failed = false;
  std::size_t shown = 0;
  options.on_progress = [&progress](const CampaignProgress& p) { progress.show(p); };
  options.on_failure = [&](FuzzFailure& f) {
    progress.clear();
    if (Status saved = explore::save_failure(args.out, f, save); !saved) {
      err << "echo-conformance fuzz: " << saved.error().message << '\n';
      save_failed = true;
    }
    print_failure(out, f, ++shown, target_name);
    out << std::flush;
  };

  if (!args.quiet) {
    out << "fuzzing " << target_name << " (" << (generator.tcp ? "TCP" : "")
        << (generator.tcp && generator.udp ? " and " : "") << (generator.udp ? "UDP" : "")
        << ") for " << args.duration << " s with seed " << plan->seed << ", " << args.jobs
        << (args.jobs == 1 ? " job" : " jobs");
    if (reference) out << ", compared with " << reference->to_string();
    out << "; failures go to " << args.out << "/\n" << std::flush;
  }
  const std::string started_at = utc_now_iso8601();
  g_interrupted.store(false);
  CampaignResult result;
  {
    InterruptScope interrupts;
    result = explore::run_campaign(options);
  }
  progress.clear();
  print_summary(out, result);

  explore::FuzzRun run;
  run.target = target_name;
  run.reference = reference ? reference->to_string() : "";
  run.spawn = args.spawn;
  run.seed = plan->seed;
  run.started_at = started_at;
  run.duration = plan->duration;
  run.jobs = args.jobs;
  run.tcp = generator.tcp;
  run.udp = generator.udp;
  for (const ReportRequest& request : plan->reports) {
    const std::string text = request.format == ReportFormat::kHtml
                                 ? explore::render_fuzz_html(run, result)
                                 : explore::render_fuzz_json(run, result);
    if (Status written = write_file_atomically(request.path, text); !written) {
      err << "echo-conformance fuzz: " << written.error().message << '\n';
      return kExitUsage;
    }
  }
  if (save_failed) return kExitUsage;
  return result.failures.empty() ? kExitPassed : kExitRequiredFailed;
}

}  // namespace echo::conformance::cli
