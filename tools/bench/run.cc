#include "tools/bench/run.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <ostream>
#include <thread>
#include <vector>

#include "core/net/socket.h"
#include "core/net/udp.h"
#include "tools/bench/worker.h"

namespace echo::bench {
namespace {

using std::chrono::nanoseconds;
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kUdpProbeTimeout = std::chrono::seconds(2);

Result<std::vector<TcpStream>> connect_tcp(const BenchOptions& o, const ProbeStamper& stamper,
                                           unsigned count) {
  std::vector<TcpStream> flows;
  flows.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    ECHO_ASSIGN_OR_RETURN(Fd fd, tcp_connect(o.target, Deadline::after(kConnectTimeout)));
    (void)set_tcp_nodelay(fd.get(), true);
    flows.emplace_back(std::move(fd), stamper, window_of(o));
  }
  return flows;
}

Result<std::vector<UdpFlow>> connect_udp(const BenchOptions& o, const ProbeStamper& stamper,
                                         unsigned count) {
  std::vector<UdpFlow> flows;
  flows.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    ECHO_ASSIGN_OR_RETURN(Fd fd, udp_connect(o.target));
    flows.emplace_back(std::move(fd), stamper, window_of(o), o.gso);
  }
  return flows;
}

// One datagram there and back on a socket of its own, so an absent UDP server
// is a clear error rather than a run where everything is lost.
Status probe_udp(const BenchOptions& o, const ProbeStamper& stamper) {
  ECHO_ASSIGN_OR_RETURN(Fd fd, udp_connect(o.target));
  std::vector<std::byte> record(stamper.record_size()), echo(stamper.record_size() + 1);
  stamper.fill(record);
  if (Status sent = send_datagram(fd.get(), record, {}); !sent) return sent;
  Result<Datagram> got = receive_datagram(fd.get(), echo, Deadline::after(kUdpProbeTimeout));
  if (!got) {
    return Error{"no UDP echo from " + o.target.to_string() + ": " + got.error().message,
                 got.error().code};
  }
  return {};
}

template <class Flow>
RunResult run_workers(const BenchOptions& o, std::vector<std::vector<Flow>> per_thread,
                      std::ostream* live) {
  WorkerPlan plan;
  plan.start_ns = now_ns();
  plan.measure_from_ns = plan.start_ns + static_cast<std::int64_t>(o.warmup_s * 1e9);
  plan.end_ns = plan.measure_from_ns + static_cast<std::int64_t>(o.duration_s * 1e9);
  plan.udp_timeout_ns = nanoseconds(o.udp_timeout).count();
  std::vector<std::unique_ptr<Worker<Flow>>> workers;
  workers.reserve(per_thread.size());
  std::vector<std::thread> threads;
  threads.reserve(per_thread.size());
  for (auto& flows : per_thread) {
    WorkerPlan mine = plan;
    mine.rate = o.rate * static_cast<double>(flows.size()) / o.connections;
    workers.push_back(std::make_unique<Worker<Flow>>(mine, std::move(flows)));
  }
  for (auto& worker : workers) threads.emplace_back([w = worker.get()] { w->run(); });

  std::uint64_t last_messages = 0, last_out = 0, last_in = 0;
  for (int second = 1; live && plan.start_ns + second * 1'000'000'000LL < plan.end_ns; ++second) {
    std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
        nanoseconds(plan.start_ns + second * 1'000'000'000LL)));
    std::uint64_t messages = 0, out = 0, in = 0, errors = 0;
    for (const auto& w : workers) {
      messages += w->live().messages.load(std::memory_order_relaxed);
      out += w->live().bytes_sent.load(std::memory_order_relaxed);
      in += w->live().bytes_received.load(std::memory_order_relaxed);
      errors += w->live().errors.load(std::memory_order_relaxed);
    }
    char line[200];
    std::snprintf(line, sizeof line,
                  "[%3d s] %-8s %9llu msg/s  %8.1f MB/s out  %8.1f MB/s in  %llu errors\n", second,
                  plan.start_ns + second * 1'000'000'000LL <= plan.measure_from_ns ? "warm-up" : "",
                  static_cast<unsigned long long>(messages - last_messages), (out - last_out) / 1e6,
                  (in - last_in) / 1e6, static_cast<unsigned long long>(errors));
    *live << line << std::flush;
    last_messages = messages, last_out = out, last_in = in;
  }
  for (auto& thread : threads) thread.join();
  RunResult result;
  result.measured_s = static_cast<double>(plan.end_ns - plan.measure_from_ns) / 1e9;
  result.window_start_ns = plan.measure_from_ns;
  result.window_end_ns = plan.end_ns;
  for (const auto& w : workers) result.totals.add(w->stats());
  // A run that verified nothing proves nothing: it fails (exit 1), with a reason.
  if (result.totals.received == 0 &&
      result.totals.verification_errors + result.totals.connection_errors == 0) {
    ++result.totals.verification_errors;
    result.totals.first_error = "no echo was verified in the measured window";
  }
  return result;
}

// Deals `flows` out to `threads` vectors, round-robin.
template <class Flow>
std::vector<std::vector<Flow>> deal(std::vector<Flow> flows, unsigned threads) {
  std::vector<std::vector<Flow>> out(threads);
  for (std::size_t i = 0; i < flows.size(); ++i) out[i % threads].push_back(std::move(flows[i]));
  return out;
}

}  // namespace

Result<RunResult> run_bench(const BenchOptions& o, std::ostream* live) {
  const ProbeStamper stamper(payload_for_size(o.size));
  if (o.udp) {
    if (Status reachable = probe_udp(o, stamper); !reachable) return reachable.error();
    auto flows = connect_udp(o, stamper, o.connections);
    if (!flows) return flows.error();
    return run_workers(o, deal(std::move(*flows), o.threads), live);
  }
  auto flows = connect_tcp(o, stamper, o.connections);
  if (!flows) return flows.error();
  return run_workers(o, deal(std::move(*flows), o.threads), live);
}

}  // namespace echo::bench
