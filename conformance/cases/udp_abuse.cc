// udp.abuse.*: a UDP echo server must not be a loop waiting to happen. One
// datagram with a forged source, the port of chargen (19) or of another echo
// server (7), or the server's own port, makes the two services answer each
// other for ever (CERT CA-1996-01, CVE-1999-0103; the loop DoS of
// CVE-2024-2169, CERT VU#417980). The cases send from such ports for real
// (support/source_port.h) and expect silence, after an ordinary datagram was
// answered (without that control, silence proves nothing). udp.abuse.rate
// measures what one source's flood gets back and whether a second source is
// still answered meanwhile.
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/datagram.h"
#include "conformance/cases/support/source_port.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/payload.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"
#include "core/util/bytes.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

Bytes bytes_of(const std::string& text) {
  const auto view = as_bytes(text);
  return {view.begin(), view.end()};
}

// A source port the server must not answer: 19, "chargen's port".
struct Source {
  std::uint16_t port = 0;
  std::string what;
};

// The control the silence cases stand on: an ordinary datagram (from an
// ephemeral port) is echoed. When it is not, a not-judged observation that
// carries its trace (for the findings about silent or closed UDP ports).
std::optional<Observation> unless_ordinary_datagram_answered(const CaseContext& context) {
  const std::string control = "an ordinary datagram, from an ephemeral port";
  std::optional<Problem> problem = datagram_echo(context, as_bytes(control), reply_wait(context));
  if (!problem) return std::nullopt;
  Observation observation =
      not_judged("a datagram from an ordinary port was not echoed either (" + problem->evidence +
                 "), so silence toward the ports this case sends from would prove nothing");
  observation.datagrams = std::move(problem->datagrams);
  return observation;
}

std::string needs_root(const Source& source) {
  return "needs root to send from port " + std::to_string(source.port) + " (" + source.what +
         "): run as root, or give the binary CAP_NET_BIND_SERVICE (setcap "
         "cap_net_bind_service=ep echo-conformance)";
}

// What one datagram sent from a fixed source port got back.
struct Probe {
  Source source;
  SourcePortSocket socket;
  DatagramTrace trace;
};

// Reads every reply that reaches the probe's socket by `deadline`.
void collect(const CaseContext& context, Probe& probe, Deadline deadline) {
  std::vector<std::byte> buffer(65536);
  for (;;) {
    Result<Datagram> got = receive_datagram(probe.socket.fd.get(), buffer, deadline);
    if (!got) return;
    const auto size = static_cast<std::ptrdiff_t>(std::min(got->size, buffer.size()));
    probe.trace.replies.push_back(
        {Bytes(buffer.begin(), buffer.begin() + size), got->peer == context.target});
  }
}

// After the probes, one more ordinary datagram: once its echo is back, a
// server that answers in order has answered the probes too, so a short quiet
// wait is enough. Returns how long to keep listening for replies to the probes.
milliseconds listen_after(const CaseContext& context) {
  Result<DatagramClient> later = DatagramClient::open(context.target);
  const std::string text = "an ordinary datagram, sent after the others";
  if (!later || !later->send(as_bytes(text))) return reply_wait(context);
  Result<Reply> echo = later->receive(within(context, reply_wait(context)));
  return echo ? quiet_wait(context) : reply_wait(context);
}

std::string port_list(const std::vector<Probe>& probes) {
  std::string out;
  for (const Probe& p : probes) {
    out +=
        (out.empty() ? "" : " and ") + std::to_string(p.source.port) + " (" + p.source.what + ")";
  }
  return out;
}

// Sends one datagram from each of `sources` and expects no reply to any.
Observation unanswered_from(const CaseContext& context, const std::vector<Source>& sources) {
  if (auto observation = unless_ordinary_datagram_answered(context)) return *observation;
  std::vector<Probe> probes;
  std::vector<std::string> unusable;
  for (const Source& source : sources) {
    // Another run of the checker may hold port 19 or 7 for a moment; nobody
    // but the server holds the server's own.
    const bool own = source.port == context.target.port();
    Result<SourcePortSocket> bound = bind_source_port(
        context.target, source.port, within(context, own ? milliseconds(0) : reply_wait(context)));
    if (!bound && bound.error().code == std::errc::permission_denied) {
      return skipped(needs_root(source));
    }
    if (!bound && bound.error().code == std::errc::address_in_use) {
      unusable.push_back(bound.error().message);
      continue;
    }
    if (!bound) return not_judged(bound.error().message);
    probes.push_back({source, std::move(*bound), {}});
  }
  std::string untried;
  for (const std::string& reason : unusable) untried += (untried.empty() ? "" : "; ") + reason;
  if (probes.empty()) {
    const bool ipv6_loopback = context.target.family() == AF_INET6 && context.target.is_loopback();
    return skipped(untried +
                   ": a datagram from that port cannot be sent without forging its source, and "
                   "the reply to a forged source would go to the socket that holds the port, "
                   "which is the loop this case looks for. " +
                   (ipv6_loopback ? "IPv6 loopback has one address, ::1: check the server over "
                                    "IPv4 loopback, where 127.0.0.2 can send to 127.0.0.1"
                                  : "Run the server on one address (e.g. 127.0.0.1) to check "
                                    "it"));
  }
  for (Probe& probe : probes) {
    const std::string text = "echo-conformance " + context.case_id + ": a datagram from port " +
                             std::to_string(probe.source.port) + " (" + probe.source.what + ")";
    probe.trace.label =
        "a datagram from " + probe.socket.local.to_string() + " (" + probe.source.what + ")";
    probe.trace.sent.push_back(bytes_of(text));
    if (Status sent = send_datagram(probe.socket.fd.get(), as_bytes(text), context.target); !sent) {
      return not_judged("sending from " + probe.socket.local.to_string() +
                        " failed: " + sent.error().message);
    }
  }
  const Deadline listen = within(context, listen_after(context));
  for (Probe& probe : probes) collect(context, probe, listen);
  std::vector<std::string> answered;
  Problem problem;
  for (Probe& probe : probes) {
    if (!probe.trace.replies.empty()) {
      const DatagramTrace::Reply& reply = probe.trace.replies.front();
      answered.push_back(
          "a datagram of " + bytes_text(probe.trace.sent.front().size()) + " sent from " +
          probe.socket.local.to_string() + " (" + probe.source.what + ") was answered with " +
          (reply.data == probe.trace.sent.front() ? "its echo"
                                                  : "a reply of " + bytes_text(reply.data.size())) +
          (probe.trace.replies.size() > 1
               ? " (" + std::to_string(probe.trace.replies.size()) + " replies)"
               : ""));
    }
    problem.datagrams.push_back(std::move(probe.trace));
  }
  const std::string note = untried.empty() ? "" : " (not tried: " + untried + ")";
  if (answered.empty()) {
    return met("no reply to a datagram from port " + port_list(probes) +
               ", while ordinary datagrams were echoed" + note);
  }
  for (const std::string& a : answered) {
    problem.evidence += (problem.evidence.empty() ? "" : "; ") + a;
  }
  problem.evidence += note;
  problem.expected = "no reply to a datagram from port " + port_list(probes);
  problem.actual =
      std::to_string(answered.size()) + " of " + std::to_string(probes.size()) + " answered";
  return shortfall(std::move(problem));
}

Observation loop_guard(const CaseContext& context) {
  return unanswered_from(context, {{19, "chargen"}, {7, "echo"}});
}

Observation own_port(const CaseContext& context) {
  return unanswered_from(context, {{context.target.port(), "the server's own port"}});
}

// --- udp.abuse.rate ------------------------------------------------------------------

constexpr int kBurst = 20000;
constexpr milliseconds kBurstTime{1000};
// The burst may take this long when the client cannot send faster: it is
// bounded in time as well as in count.
constexpr milliseconds kBurstLimit{3000};
constexpr std::size_t kDatagram = 32;  // an 8-byte number and 24 seeded bytes

Bytes numbered(std::uint64_t number, const Bytes& padding) {
  Bytes out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>(number >> (56 - 8 * i));
  out.insert(out.end(), padding.begin(), padding.end());
  return out;
}

// The number of an intact reply to the burst, or -1.
long number_of(std::span<const std::byte> reply, const Bytes& padding) {
  if (reply.size() != kDatagram || !std::equal(padding.begin(), padding.end(), reply.begin() + 8)) {
    return -1;
  }
  std::uint64_t number = 0;
  for (int i = 0; i < 8; ++i) number = number << 8 | static_cast<std::uint64_t>(reply[i]);
  return number < static_cast<std::uint64_t>(kBurst) ? static_cast<long>(number) : -1;
}

Result<Fd> bound_socket(const Endpoint& local) {
  Result<Fd> fd = udp_bind(local, /*want_destination=*/false);
  if (!fd) return fd;
  const int size = 4 << 20;  // room for the replies between two drains (best effort)
  (void)::setsockopt(fd->get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  return fd;
}

struct Burst {
  Fd flood;   // the one source of the burst
  Fd second;  // the second source
  Endpoint second_address;
  bool same_address = false;  // the second source could only use the flood's address
  Bytes padding;
  std::vector<bool> answered = std::vector<bool>(kBurst, false);
  int replied = 0;
  int sent = 0;
  Clock::time_point start;
  Clock::time_point last_reply;
  std::vector<std::byte> buffer = std::vector<std::byte>(65536);
  DatagramTrace second_trace;
  std::optional<Clock::time_point> second_sent;
  Clock::time_point sent_all;
  std::optional<std::chrono::microseconds> second_round_trip;

  void drain() {
    for (;;) {
      Result<Datagram> got = receive_datagram(flood.get(), buffer);
      if (!got) return;
      const long n =
          number_of(std::span(buffer).first(std::min(got->size, buffer.size())), padding);
      if (n < 0 || answered[static_cast<std::size_t>(n)]) continue;
      answered[static_cast<std::size_t>(n)] = true;
      ++replied;
      last_reply = Clock::now();
    }
  }

  void check_second(const Endpoint& target) {
    if (!second_sent || second_round_trip) return;
    Result<Datagram> got = receive_datagram(second.get(), buffer);
    if (!got) return;
    const auto size = static_cast<std::ptrdiff_t>(std::min(got->size, buffer.size()));
    second_trace.replies.push_back(
        {Bytes(buffer.begin(), buffer.begin() + size), got->peer == target});
    second_round_trip =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - *second_sent);
  }
};

// Opens the flood's socket and the second source's, on two local addresses
// when there are two (a per-address limit then sees two sources).
std::optional<std::string> open_sources(const CaseContext& context, Burst& burst) {
  const std::vector<Endpoint> locals = local_sources(context.target);
  if (locals.empty()) return "no local address reaches " + context.target.to_string();
  Result<Fd> flood = bound_socket(locals.front());
  if (!flood) return flood.error().message;
  burst.flood = std::move(*flood);
  burst.same_address = locals.size() < 2;
  Result<Fd> second = bound_socket(locals.size() > 1 ? locals[1] : locals.front());
  if (!second) return second.error().message;
  burst.second = std::move(*second);
  Result<Endpoint> address = local_endpoint(burst.second.get());
  if (address) burst.second_address = *address;
  return std::nullopt;
}

void send_second(Burst& burst, const Endpoint& target, const std::string& hello) {
  burst.second_sent = Clock::now();
  (void)send_datagram(burst.second.get(), as_bytes(hello), target);
}

// Sends the burst paced over kBurstTime, draining replies as they come; the
// second source's datagram goes out halfway.
void send_burst(const CaseContext& context, Burst& burst) {
  const std::string hello = "a second source, during the burst";
  burst.second_trace.label = "one datagram from a second source, in the middle of the burst";
  burst.second_trace.sent.push_back(bytes_of(hello));
  burst.start = Clock::now();
  const Deadline limit = Deadline::after(kBurstLimit).min(context.deadline);
  while (burst.sent < kBurst && !limit.expired()) {
    const auto elapsed = Clock::now() - burst.start;
    const auto due = std::min<long>(
        kBurst, 1 + static_cast<long>(kBurst * std::chrono::duration<double>(elapsed).count() /
                                      std::chrono::duration<double>(kBurstTime).count()));
    while (burst.sent < due) {
      const Bytes message = numbered(static_cast<std::uint64_t>(burst.sent), burst.padding);
      if (!send_datagram(burst.flood.get(), message, context.target)) break;  // full: later
      ++burst.sent;
      if (burst.sent == kBurst / 2) send_second(burst, context.target, hello);
    }
    burst.drain();
    burst.check_second(context.target);
    pollfd fds[2] = {{burst.flood.get(), POLLIN, 0}, {burst.second.get(), POLLIN, 0}};
    (void)::poll(fds, 2, 1);  // until a reply comes or the next millisecond's datagrams are due
  }
  burst.sent_all = Clock::now();
  if (!burst.second_sent) send_second(burst, context.target, hello);  // the burst was cut short
}

// Waits, within one reply wait, for the replies still to come (until they
// stop for a quiet wait) and for the second source's (until a reply wait
// after it was sent).
void settle(const CaseContext& context, Burst& burst) {
  const Deadline settle = within(context, reply_wait(context));
  const Deadline second_due =
      Deadline::at(burst.second_sent.value_or(burst.sent_all) + reply_wait(context)).min(settle);
  for (;;) {
    burst.drain();
    burst.check_second(context.target);
    const Clock::time_point progress = std::max(burst.sent_all, burst.last_reply);
    const bool flood_done =
        burst.replied == burst.sent || Clock::now() - progress > quiet_wait(context);
    const bool second_done = burst.second_round_trip.has_value() || second_due.expired();
    if ((flood_done && second_done) || settle.expired()) return;
    pollfd fds[2] = {{burst.flood.get(), POLLIN, 0}, {burst.second.get(), POLLIN, 0}};
    (void)::poll(fds, 2, std::min(settle.poll_timeout_ms(), 20));
  }
}

Observation rate(const CaseContext& context) {
  if (auto observation = unless_ordinary_datagram_answered(context)) return *observation;
  Burst burst;
  burst.padding = PayloadStream(context.seed, 0xAB).prefix(kDatagram - 8);
  if (auto problem = open_sources(context, burst)) return not_judged("not measured: " + *problem);
  send_burst(context, burst);
  settle(context, burst);
  const double burst_seconds = std::chrono::duration<double>(burst.sent_all - burst.start).count();
  std::vector<Figure> figures{
      {"sent", static_cast<double>(burst.sent), "datagrams"},
      {"replied", static_cast<double>(burst.replied), "datagrams"},
      {"replied_share", burst.sent > 0 ? 100.0 * burst.replied / burst.sent : 0, "%"},
      {"burst_seconds", burst_seconds, "s"},
      {"replies_per_second", burst_seconds > 0 ? burst.replied / burst_seconds : 0, "1/s"},
      {"second_source_answered", burst.second_round_trip ? 1.0 : 0.0, "bool"}};
  if (burst.second_round_trip) {
    figures.push_back({"second_source_round_trip",
                       static_cast<double>(burst.second_round_trip->count()) / 1000.0, "ms"});
  }
  std::string evidence;
  if (burst.sent < kBurst) {
    evidence = "the client could send only " + std::to_string(burst.sent) + " of " +
               std::to_string(kBurst) + " datagrams within " + ms_text(kBurstLimit);
  }
  if (burst.replied == 0) {
    evidence += std::string(evidence.empty() ? "" : "; ") + "none of the " +
                std::to_string(burst.sent) + " datagrams of the burst was echoed within " +
                ms_text(reply_wait(context)) + " (an ordinary datagram before it was)";
  }
  if (!burst.second_round_trip) {
    evidence += std::string(evidence.empty() ? "" : "; ") + "a datagram from a second source (" +
                burst.second_address.to_string() +
                (burst.same_address ? ", the flood's own address: IPv6 loopback has one" : "") +
                "), sent in the middle of the burst, got no reply within " +
                ms_text(reply_wait(context)) +
                ": one source's flood kept another from being answered (a limit shared by all "
                "sources, or a server overwhelmed)";
  }
  Observation observation = measured(std::move(figures), std::move(evidence));
  observation.datagrams.push_back(std::move(burst.second_trace));
  return observation;
}

constexpr const char* kLoopRequirement =
    "Security, beyond RFC 862: no reply to a datagram from the port of a service that answers "
    "anything. One datagram forged from chargen's (19) or another echo server's (7) address and "
    "port makes the two answer each other for ever: the echo-chargen and echo-echo loops of CERT "
    "CA-1996-01 and CVE-1999-0103, back in 2024 as the application-layer loop DoS "
    "(CVE-2024-2169, CERT VU#417980), which names echo first. Prior art: NetBSD inetd refuses "
    "source ports 7, 9, 13, 19 and 37 (\"possible DoS attack\"); OpenBSD inetd every source port "
    "below 1024.";
constexpr const char* kOwnPortRequirement =
    "Security, beyond RFC 862: no reply to a datagram whose source port is the server's own "
    "port. Two echo servers on one port number, or one forged datagram, would otherwise echo "
    "each other for ever (CVE-1999-0103; CVE-2024-2169, CERT VU#417980). Prior art: FreeBSD "
    "inetd refuses a source port equal to one of its own datagram services (\"loop request "
    "REFUSED\").";
constexpr const char* kRateRequirement =
    "None: a measurement. RFC 8085 §6: \"Applications MAY also want to offer ways to limit the "
    "number of requests they respond to in a time interval, in order to cap the bandwidth they "
    "consume.\" A limit per source keeps one source's flood from silencing the others; QUIC "
    "(RFC 9000 §8.1) caps what a server sends to an unvalidated address at three times what it "
    "received from it.";

}  // namespace

std::vector<Case> udp_abuse_cases() {
  return {
      {{"udp.abuse.loop-guard",
        "A datagram from port 19 (chargen) or 7 (echo) gets no reply, while an ordinary one is "
        "echoed (needs root to send from those ports)",
        kLoopRequirement,
        "CVE-1999-0103, CERT CA-1996-01; CVE-2024-2169, CERT VU#417980; beyond RFC 862",
        Level::kRecommended, Transport::kUdp, milliseconds(6000), Schedule::kShared, 6},
       loop_guard},
      {{"udp.abuse.own-port",
        "A datagram whose source port is the server's own port gets no reply (sent from "
        "127.0.0.2 when the server is on 127.0.0.1)",
        kOwnPortRequirement,
        "CVE-1999-0103; CVE-2024-2169, CERT VU#417980; FreeBSD inetd; beyond RFC 862",
        Level::kRecommended, Transport::kUdp, milliseconds(6000), Schedule::kShared, 6},
       own_port},
      {{"udp.abuse.rate",
        "20,000 datagrams from one source within a second: how many are answered, and whether a "
        "second source is answered meanwhile",
        kRateRequirement, "RFC 8085 §6; RFC 9000 §8.1; measurement, beyond RFC 862",
        Level::kInformational, Transport::kUdp, milliseconds(8000), Schedule::kHazard, 4},
       rate},
  };
}

}  // namespace echo::conformance
