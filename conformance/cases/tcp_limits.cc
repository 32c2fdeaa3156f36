// tcp.limits.*: how many connections the server holds at once, each one's echo
// verified (a measurement, opt-in: --stress, or --cases naming it, since
// thousands of connections can hurt a production server).
//
// Connections open in waves of 100 (non-blocking connects, then one short
// echo on each), so a distant server costs a few round trips per wave, not per
// connection; the first wave with a failure ends the climb. Once all are open,
// every held connection echoes once more: a server that drops older
// connections to make room for new ones shows there.
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/observe.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/payload.h"
#include "core/net/fd.h"
#include "core/net/io.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kWave = 100;
constexpr std::size_t kMessage = 16;
// Descriptors the checker keeps for everything else (its other sockets, files).
constexpr rlim_t kSpareDescriptors = 64;

struct Client {
  int number = 0;  // 1-based, in the order opened
  Fd fd;
  Bytes message;
  std::size_t echoed = 0;
  bool connected = false;
  std::string failure;  // empty while all is well
};

// Raises the soft limit on open files so `wanted` connections fit; returns how
// many fit, and why fewer when they do not.
int fit_descriptors(int wanted, std::string& note) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  const rlim_t needed = static_cast<rlim_t>(wanted) + kSpareDescriptors;
  if (limit.rlim_cur >= needed) return wanted;
  const rlim_t raised = std::min(needed, limit.rlim_max);
  rlimit want = limit;
  want.rlim_cur = raised;
  if (::setrlimit(RLIMIT_NOFILE, &want) != 0) want.rlim_cur = limit.rlim_cur;
  if (want.rlim_cur >= needed) return wanted;
  const int fit =
      want.rlim_cur > kSpareDescriptors ? static_cast<int>(want.rlim_cur - kSpareDescriptors) : 0;
  note = "only " + std::to_string(fit) + " of " + std::to_string(wanted) +
         " connections tried: this process may open " + std::to_string(want.rlim_cur) +
         " files (RLIMIT_NOFILE, hard limit " + std::to_string(limit.rlim_max) +
         "); raise it (ulimit -n) to try more";
  return fit;
}

// Starts a non-blocking connect; a failure that happens at once is recorded.
Client start(const CaseContext& context, int number, const PayloadStream& payload) {
  Client client;
  client.number = number;
  client.message.resize(kMessage);
  payload.fill(static_cast<std::uint64_t>(number) * kMessage, client.message);
  client.fd = Fd(::socket(context.target.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!client.fd) {
    client.failure = std::string("the checker could not open a socket: ") + std::strerror(errno);
    return client;
  }
  if (::connect(client.fd.get(), context.target.sockaddr_ptr(), context.target.sockaddr_len()) ==
      0) {
    client.connected = true;
  } else if (errno != EINPROGRESS && errno != EINTR) {
    client.failure = std::string("connect failed: ") + std::strerror(errno);
  }
  return client;
}

bool pending(const Client& c, bool connecting) {
  return c.failure.empty() && (connecting ? !c.connected : c.echoed < c.message.size());
}

// Polls the clients still pending until none is or the deadline passes; each
// ready one goes to `step`. Those still pending at the deadline get `late`.
template <class Step>
void poll_until(std::vector<Client*>& clients, bool connecting, short events, Deadline deadline,
                const std::string& late, Step step) {
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<Client*> waiting;
    for (Client* c : clients) {
      if (!pending(*c, connecting)) continue;
      fds.push_back({c->fd.get(), events, 0});
      waiting.push_back(c);
    }
    if (waiting.empty()) return;
    if (deadline.expired()) {
      for (Client* c : waiting) c->failure = late;
      return;
    }
    const int ready = ::poll(fds.data(), fds.size(), deadline.poll_timeout_ms());
    if (ready < 0 && errno != EINTR) return;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents != 0) step(*waiting[i], fds[i].revents);
    }
  }
}

void finish_connect(Client& c, short) {
  int error = 0;
  socklen_t size = sizeof error;
  if (::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
  if (error != 0) {
    c.failure = std::string("connect failed: ") + std::strerror(error);
    return;
  }
  c.connected = true;
}

void read_echo(Client& c, short) {
  std::byte buffer[kMessage];
  const Transfer got = recv_some(c.fd.get(), std::span(buffer, c.message.size() - c.echoed));
  if (got.kind == Transfer::Kind::kWouldBlock) return;
  if (got.kind == Transfer::Kind::kEof) {
    c.failure = "closed (FIN) after " + bytes_text(c.echoed) + " of its echo";
    return;
  }
  if (got.kind == Transfer::Kind::kError) {
    c.failure = (got.error == std::errc::connection_reset ? std::string("reset (RST)")
                                                          : got.error.message()) +
                " after " + bytes_text(c.echoed) + " of its echo";
    return;
  }
  if (!std::equal(buffer, buffer + got.bytes,
                  c.message.begin() + static_cast<std::ptrdiff_t>(c.echoed))) {
    c.failure = "a wrong byte came back within its echo";
    return;
  }
  c.echoed += got.bytes;
}

// One echo of each client's message on every client given (all connected).
void echo_all(const CaseContext& context, std::vector<Client*>& clients) {
  for (Client* c : clients) {
    c->echoed = 0;
    const Transfer sent = send_some(c->fd.get(), c->message);
    if (sent.kind != Transfer::Kind::kDone || sent.bytes != c->message.size()) {
      c->failure = "sending its " + bytes_text(c->message.size()) + " failed" +
                   (sent.kind == Transfer::Kind::kError ? ": " + sent.error.message() : "");
    }
  }
  poll_until(clients, false, POLLIN, within(context, reply_wait(context)),
             "no echo within " + ms_text(reply_wait(context)), read_echo);
}

// Opens connections numbered first..last, each echoing once.
std::vector<Client> wave(const CaseContext& context, int first, int last,
                         const PayloadStream& payload) {
  std::vector<Client> clients;
  clients.reserve(static_cast<std::size_t>(std::max(0, last - first + 1)));
  for (int n = first; n <= last; ++n) clients.push_back(start(context, n, payload));
  std::vector<Client*> all;
  all.reserve(clients.size());
  for (Client& c : clients) all.push_back(&c);
  poll_until(all, true, POLLOUT, within(context, connect_wait(context)),
             "connect timed out after " + ms_text(connect_wait(context)), finish_connect);
  std::vector<Client*> connected;
  for (Client* c : all) {
    if (c->failure.empty()) connected.push_back(c);
  }
  echo_all(context, connected);
  return clients;
}

// "connection 161 of 1000: reset (RST) after 0 bytes of its echo (and 39 more
// of the 100 opened with it)".
std::string first_failure(const std::vector<Client>& clients, int wanted) {
  const Client* first = nullptr;
  int others = 0;
  for (const Client& c : clients) {
    if (c.failure.empty()) continue;
    if (first == nullptr) {
      first = &c;
    } else {
      ++others;
    }
  }
  if (first == nullptr) return "";
  return "connection " + std::to_string(first->number) + " of " + std::to_string(wanted) + ": " +
         first->failure +
         (others > 0 ? " (and " + std::to_string(others) + " more of the " +
                           std::to_string(clients.size()) + " opened with it)"
                     : "");
}

Observation connections(const CaseContext& context) {
  std::string note;
  const int wanted = std::max(1, context.stress_connections);
  const int tried = fit_descriptors(wanted, note);
  const PayloadStream payload(context.seed, 0x11);
  const auto start = Clock::now();
  std::vector<Client> held;
  std::string stopped;
  for (int first = 1; first <= tried && stopped.empty();) {
    if (context.deadline.remaining() < connect_wait(context) + 2 * reply_wait(context)) {
      stopped = "the case's deadline left no time for more than " + std::to_string(held.size());
      break;
    }
    const int last = std::min(tried, first + kWave - 1);
    std::vector<Client> clients = wave(context, first, last, payload);
    stopped = first_failure(clients, wanted);
    for (Client& c : clients) {
      if (c.failure.empty()) held.push_back(std::move(c));
    }
    first = last + 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<Client*> all;
  all.reserve(held.size());
  for (Client& c : held) all.push_back(&c);
  echo_all(context, all);  // every one again, now that all are open
  const auto still =
      std::count_if(held.begin(), held.end(), [](const Client& c) { return c.failure.empty(); });
  std::string evidence = note;
  auto add = [&evidence](const std::string& part) {
    if (!part.empty()) evidence += (evidence.empty() ? "" : "; ") + part;
  };
  if (static_cast<int>(held.size()) < tried) {
    add("held " + std::to_string(held.size()) + " of " + std::to_string(tried) +
        " at once: " + stopped);
  }
  if (static_cast<std::size_t>(still) < held.size()) {
    add("once all " + std::to_string(held.size()) + " were open, " +
        std::to_string(held.size() - static_cast<std::size_t>(still)) +
        " no longer echoed (first: " + first_failure(held, wanted) + ")");
  }
  return measured({{"tried", static_cast<double>(tried), "connections"},
                   {"held", static_cast<double>(held.size()), "connections"},
                   {"still_echoing", static_cast<double>(still), "connections"},
                   {"opening_seconds", seconds, "s"}},
                  evidence);
}

}  // namespace

std::vector<Case> tcp_limits_cases() {
  CaseInfo info{"tcp.limits.connections",
                "How many connections the server holds at once (1,000 by default, "
                "--stress-connections), each echoing when opened and again once all are open "
                "(opt-in: --stress)",
                kMeasurement,
                "measurement, beyond RFC 862",
                Level::kInformational,
                Transport::kTcp,
                milliseconds(30000),
                Schedule::kHazard,
                40};
  info.opt_in = true;
  return {{info, connections}};
}

}  // namespace echo::conformance
