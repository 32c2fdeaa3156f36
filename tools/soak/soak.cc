#include "tools/soak/soak.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include <list>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>

#include "core/address/parse.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/process/child_process.h"
#include "reference/server/counters.h"

namespace echo::soak {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kPendingConnects = 256;  // idle connections being opened at once
constexpr auto kIdleOpenDeadline = 120s;
constexpr auto kWindDownDeadline = 30s;
constexpr auto kDescriptorsDeadline = 10s;
constexpr auto kExitDeadline = 30s;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Raises the soft descriptor limit to the hard one; an Error if that is still
// fewer than `needed`.
Status raise_descriptor_limit(std::size_t needed, std::ostream* progress) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0 && progress) {
      *progress << "echo-soak: descriptor limit raised from " << before << " to " << limit.rlim_cur
                << "\n";
    }
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur >= needed) return {};
  return Error{"need " + std::to_string(needed) + " descriptors for the clients, the limit is " +
                   std::to_string(limit.rlim_cur) + " (hard limit " +
                   std::to_string(limit.rlim_max) +
                   "): raise it (ulimit -Hn, as root) or lower --idle",
               {}};
}

// Keeps the tail of the server's stderr, read as it comes so the server never
// blocks on a full pipe (it logs per connection without --quiet).
class StderrTail : public Handler {
 public:
  StderrTail(EventLoop& loop, int fd) : loop_(loop), fd_(fd) {
    if (fd_ >= 0) loop_.watch(fd_, EPOLLIN, this);
  }
  ~StderrTail() override {
    if (fd_ >= 0) loop_.forget(fd_);
  }
  void on_events(std::uint32_t) override { drain(); }
  void drain() {
    if (fd_ < 0) return;
    std::byte chunk[4096];
    for (;;) {
      Transfer got = read_fd(fd_, chunk);
      if (got.kind != Transfer::Kind::kDone || got.bytes == 0) {
        if (got.kind != Transfer::Kind::kWouldBlock) {
          loop_.forget(fd_);
          fd_ = -1;
        }
        return;
      }
      text_.append(reinterpret_cast<const char*>(chunk), got.bytes);
      if (text_.size() > 256 * 1024) text_.erase(0, text_.size() - 128 * 1024);
    }
  }
  [[nodiscard]] bool open() const noexcept { return fd_ >= 0; }
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

 private:
  EventLoop& loop_;
  int fd_;
  std::string text_;
};

// "listening tcp 127.0.0.1:41234" -> ("tcp", endpoint)
std::optional<std::pair<std::string, Endpoint>> listening(const std::string& line) {
  std::istringstream words(line);
  std::string word, transport, address;
  if (!(words >> word >> transport >> address) || word != "listening") return std::nullopt;
  Result<Endpoint> endpoint = parse_endpoint(address, std::nullopt, PortRule::kNonZero);
  if (!endpoint) return std::nullopt;
  return std::pair{transport, *endpoint};
}

// The clients of one kind; finished ones are freed between batches of events.
template <class T>
class Crowd {
 public:
  template <class... Args>
  T& add(Args&&... args) {
    return *members_.emplace_back(std::make_unique<T>(std::forward<Args>(args)...));
  }
  void sweep() {
    members_.remove_if([](const std::unique_ptr<T>& c) { return c->done(); });
  }
  [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }
  template <class F>
  void each(F f) {
    for (auto& member : members_) f(*member);
  }
  void clear() { members_.clear(); }

 private:
  std::list<std::unique_ptr<T>> members_;
};

// One byte echoed over a fresh connection, which is then closed.
Status echo_once(const Endpoint& server) {
  const Deadline deadline = Deadline::after(10s);
  ECHO_ASSIGN_OR_RETURN(Fd connection, tcp_connect(server, deadline));
  if (Status s = write_all(connection.get(), std::as_bytes(std::span("x", 1)), deadline); !s) {
    return s.error();
  }
  std::byte echo[1];
  if (Status s = read_exact(connection.get(), echo, deadline); !s) return s.error();
  return {};
}

// The server's figures once its descriptor count is the same twice 100 ms apart (at most 5 s).
std::optional<ProcessStats> settled_stats(pid_t pid, EventLoop& loop, StderrTail& log) {
  std::optional<ProcessStats> last = sample_tree(pid);
  const Deadline deadline = Deadline::after(5s);
  while (last && !deadline.expired()) {
    loop.poll(100ms);
    log.drain();
    std::optional<ProcessStats> now = sample_tree(pid);
    if (!now || now->descriptors == last->descriptors) return now;
    last = now;
  }
  return last;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

}  // namespace

Result<SoakResult> run_soak(const SoakOptions& options, std::ostream* progress) {
  SoakResult result;
  result.options = options;
  const std::size_t needed = options.idle + options.churn_concurrency + options.non_readers +
                             options.udp_sources + static_cast<std::size_t>(options.reset_rate) +
                             200;
  if (Status s = raise_descriptor_limit(needed, progress); !s) return s.error();

  // The server.
  std::optional<ChildProcess> server;
  pid_t pid = options.pid;
  Endpoint tcp = options.target, udp = options.target;
  if (!options.server_command.empty()) {
    const std::vector<std::string> args(options.server_command.begin() + 1,
                                        options.server_command.end());
    ECHO_ASSIGN_OR_RETURN(
        ChildProcess spawned,
        ChildProcess::spawn(options.server_command[0], args, SpawnOptions{.pipe_stderr = true}));
    server.emplace(std::move(spawned));
    pid = server->pid();
    tcp = udp = Endpoint{};
    Deadline deadline = Deadline::after(10s);
    while (tcp.empty() || udp.empty()) {
      Result<std::string> line = server->read_line(deadline);
      if (!line) break;
      if (auto parsed = listening(*line)) {
        (parsed->first == "tcp" ? tcp : udp) = parsed->second;
        if (!tcp.empty()) deadline = deadline.min(Deadline::after(500ms));  // udp may follow
      }
    }
    if (tcp.empty()) {
      return Error{
          "the server printed no 'listening tcp ADDRESS' line: " + join(options.server_command),
          {}};
    }
    if (!tcp.is_loopback()) {
      return Error{"the server listens on " + tcp.to_string() +
                       ": the soak runs on loopback only (--listen 127.0.0.1:0)",
                   {}};
    }
    result.command = "echo-soak ... -- " + join(options.server_command);
  } else {
    result.command = "echo-soak --target " + tcp.to_string() + " --pid " + std::to_string(pid);
  }

  EventLoop loop;
  if (!loop.valid()) return Error{"epoll_create1 failed", {}};
  StderrTail log(loop, server ? server->stderr_fd() : -1);
  // The baseline is the server serving and idle: one echo first (a server may
  // set up its event loops only after printing its listening lines), then
  // the descriptors once they stop changing.
  if (Status s = echo_once(tcp); !s) return s.error();
  std::optional<ProcessStats> baseline = settled_stats(pid, loop, log);
  if (!baseline) return Error{"cannot read /proc/" + std::to_string(pid), {}};
  result.baseline = *baseline;
  Tally& tally = result.tally;
  std::uint64_t next_stream = 1;

  // The idle connections.
  const Clock::time_point opening = Clock::now();
  std::vector<std::unique_ptr<IdleConnection>> idle;
  idle.reserve(options.idle);
  const Deadline open_deadline = Deadline::after(kIdleOpenDeadline);
  while (!open_deadline.expired()) {
    std::size_t pending = 0;
    for (const auto& c : idle) pending += (!c->done() && !c->established()) ? 1 : 0;
    if (idle.size() == options.idle && pending == 0) break;
    while (idle.size() < options.idle && pending < kPendingConnects) {
      idle.push_back(std::make_unique<IdleConnection>(loop, tally, tcp, next_stream++));
      ++pending;
    }
    loop.poll(10ms);
  }
  result.idle_open_seconds = seconds_since(opening);
  if (progress) {
    *progress << "echo-soak: " << tally.idle_open << " idle connections open in "
              << result.idle_open_seconds << " s; load for " << options.duration_s << " s\n";
  }

  // The load.
  Crowd<ChurnCycle> churn;
  Crowd<ResetClient> resets;
  Crowd<NonReader> non_readers;
  std::vector<std::unique_ptr<UdpSource>> udp_sources;
  if (!udp.empty()) {
    for (std::size_t i = 0; i < options.udp_sources; ++i) {
      Endpoint local =
          udp.family() == AF_INET
              ? Endpoint::v4(in_addr{htonl(0x7F000002u + static_cast<std::uint32_t>(i))}, 0)
              : Endpoint::loopback_v6(0);
      udp_sources.push_back(std::make_unique<UdpSource>(loop, tally, local, udp,
                                                        static_cast<std::uint32_t>(i),
                                                        options.udp_rate, options.udp_window));
    }
  }
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options.duration_s));
  double churn_allowance = 0, reset_allowance = 0;
  std::uint64_t size_state = 12345;
  Clock::time_point last_tick = start, next_sample = start + 1s, next_progress = start + 10s;
  std::optional<ProcessStats> previous = sample_tree(pid);
  Clock::time_point previous_at = start;
  while (Clock::now() < end) {
    loop.poll(10ms);
    const Clock::time_point now = Clock::now();
    const double dt = std::chrono::duration<double>(now - last_tick).count();
    last_tick = now;
    churn_allowance = std::min(churn_allowance + dt * options.churn_rate,
                               static_cast<double>(options.churn_concurrency));
    while (churn_allowance >= 1 && churn.size() < options.churn_concurrency) {
      size_state = size_state * 6364136223846793005ull + 1442695040888963407ull;
      churn.add(loop, tally, tcp, next_stream++, 1 + (size_state >> 33) % (16 * 1024));
      churn_allowance -= 1;
    }
    reset_allowance = std::min(reset_allowance + dt * options.reset_rate, 64.0);
    while (reset_allowance >= 1) {
      resets.add(loop, tally, tcp, next_stream++);
      reset_allowance -= 1;
    }
    while (non_readers.size() < options.non_readers) {
      non_readers.add(loop, tally, tcp, next_stream++,
                      std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(options.stall_s)));
    }
    non_readers.each([&](NonReader& c) { c.tick(now); });
    for (auto& source : udp_sources) source->tick(now, true);
    churn.sweep();
    resets.sweep();
    non_readers.sweep();
    if (now >= next_sample) {
      next_sample = now + 1s;  // after a stall, no burst of catch-up samples
      std::optional<ProcessStats> stats = sample_tree(pid);
      if (!stats) {
        tally.fail("the server is gone");
        break;
      }
      Sample sample;
      sample.t = std::chrono::duration<double>(now - start).count();
      sample.rss_kib = stats->rss_kib;
      sample.descriptors = stats->descriptors;
      const double interval = std::chrono::duration<double>(now - previous_at).count();
      if (previous && interval > 0) {
        sample.cpu_percent = 100 * (stats->cpu_seconds - previous->cpu_seconds) / interval;
      }
      previous = stats;
      previous_at = now;
      sample.churn_cycles = tally.churn_cycles;
      sample.tcp_bytes = tally.tcp_bytes_verified;
      sample.udp_echoed = tally.udp_echoed;
      result.samples.push_back(sample);
      if (progress && !options.quiet && now >= next_progress) {
        next_progress += 10s;
        *progress << "echo-soak: " << static_cast<long>(sample.t) << " s: rss " << sample.rss_kib
                  << " KiB, " << sample.descriptors << " descriptors, cpu "
                  << static_cast<long>(sample.cpu_percent) << " %; " << tally.churn_cycles
                  << " cycles, " << tally.udp_echoed << " datagrams, " << tally.failures
                  << " failures\n";
      }
    }
  }

  // Wind down: no new clients; every one finishes (the idle ones check their echo).
  for (auto& c : idle) c->check();
  const Deadline wind_down = Deadline::after(kWindDownDeadline);
  auto busy = [&] {
    std::size_t in_flight = 0;
    for (auto& source : udp_sources) in_flight += source->in_flight();
    std::size_t idle_left = 0;
    for (auto& c : idle) idle_left += c->done() ? 0 : 1;
    return churn.size() + resets.size() + non_readers.size() + in_flight + idle_left > 0;
  };
  while (busy() && !wind_down.expired()) {
    loop.poll(10ms);
    const Clock::time_point now = Clock::now();
    non_readers.each([&](NonReader& c) { c.tick(now); });
    for (auto& source : udp_sources) source->tick(now, false);
    churn.sweep();
    resets.sweep();
    non_readers.sweep();
  }
  if (busy()) tally.fail("clients still busy when the wind-down ended (30 s)");
  idle.clear();
  churn.clear();
  resets.clear();
  non_readers.clear();
  udp_sources.clear();

  // The server's descriptors back to the baseline (it closes its side as it sees ours close).
  long final_descriptors = 0;
  const Deadline settle = Deadline::after(kDescriptorsDeadline);
  for (;;) {
    log.drain();
    std::optional<ProcessStats> stats = sample_tree(pid);
    final_descriptors = stats ? stats->descriptors : -1;
    if (final_descriptors <= result.baseline.descriptors || settle.expired()) break;
    loop.poll(100ms);
  }

  std::optional<std::uint64_t> server_errors;
  if (server) {
    if (server->send_signal(SIGTERM)) {
      const Deadline exit = Deadline::after(kExitDeadline);
      while (log.open() && !exit.expired()) loop.poll(100ms);
      Result<int> status = server->wait(exit);
      if (!status || *status != 0) tally.fail("the server did not exit cleanly after SIGTERM");
    }
    result.server_counters = server::parse_counters(log.text());
    if (auto errors = result.server_counters.find("errors");
        errors != result.server_counters.end()) {
      server_errors = errors->second;
    } else {
      tally.fail("the server printed no counters at exit");
    }
  }
  result.verdict = judge(result.samples, options.warmup_s, result.baseline.descriptors,
                         final_descriptors, tally, server_errors, options.rss_limit_kib);
  return result;
}

}  // namespace echo::soak
