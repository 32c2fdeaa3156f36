// Rules about how the server serves clients: it stopped, it runs out of
// connections, it serves one client at a time.
#include <algorithm>
#include <cmath>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance::internal {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Nothing came back on any of the result's streams: what a dead server does.
bool nothing_came_back(const CaseResult& result) {
  const auto& all = streams(result);
  return !all.empty() && std::all_of(all.begin(), all.end(), [](const StreamTrace& t) {
    return t.received == 0 || t.end == StreamEnd::kConnectFailed || t.end == StreamEnd::kReset;
  });
}

// Cases the runner did not run because the target had stopped serving `transport`.
std::vector<const CaseResult*> not_run_after_stop(const Diagnosis& d, Transport transport) {
  std::vector<const CaseResult*> out;
  for (const CaseResult* result : d.open()) {
    if (starts_with(result->observation.evidence,
                    "not run: the server stopped serving " + std::string(to_string(transport)))) {
      out.push_back(result);
    }
  }
  return out;
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : n % 10 == 1              ? "st"
                       : n % 10 == 2              ? "nd"
                       : n % 10 == 3              ? "rd"
                                                  : "th";
  return std::to_string(n) + suffix;
}

void connection_limit(Diagnosis& d) {
  const CaseResult* limited = nullptr;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    if (figure(*result, "failed_at_connection")) {
      limited = result;
      break;
    }
  }
  if (limited == nullptr) return;
  const int n = static_cast<int>(std::lround(*figure(*limited, "failed_at_connection")));
  const std::optional<double> recovered = figure(*limited, "recovered_after_pause");
  const bool held_open = limited->info.id != "tcp.concurrency.churn";
  std::string title;
  std::string cause;
  if (recovered && *recovered > 0) {
    title = held_open ? "at most " + std::to_string(n - 1) + " connections at once are served"
                      : "connections are refused after " + std::to_string(n - 1) +
                            " in quick succession, until a pause: a rate limit";
    cause = held_open ? "A limit on concurrent connections (a fixed table, a process or thread "
                        "pool, or an option such as tcpserver's -c, default 40): the evidence "
                        "supports a limit, not a leak, since a client was served again once "
                        "the others had closed."
                      : "A rate limit on new connections: the evidence supports a limit, not a "
                        "leak, since a client was served again after a 1 s pause.";
  } else {
    title = "new connections fail after " + std::to_string(n - 1) +
            " connections and do not recover: a descriptor leak";
    cause = held_open
                ? "The server stopped serving new clients once " + std::to_string(n - 1) +
                      " were connected, and still did not after they closed and a pause: "
                      "accepted sockets that are never closed (a descriptor leak, ending in "
                      "EMFILE) or an accept loop that stopped."
                : "Each connection was closed by its client, yet after " + std::to_string(n - 1) +
                      " of them the server no longer served new ones, even after a pause: it "
                      "keeps a descriptor per connection it never closes (a leak, ending in "
                      "EMFILE when accept() runs out of descriptors).";
  }
  std::vector<const CaseResult*> explained = {limited};
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    if (result != limited && figure(*result, "failed_at_connection")) explained.push_back(result);
  }
  const auto& stop = d.serving().stop;
  if (stop && stop->stopped_after == limited->info.id) {
    for (const CaseResult* result : not_run_after_stop(d, Transport::kTcp)) {
      explained.push_back(result);
    }
  }
  d.add("connection-limit", title,
        limited->info.id + ": the " + ordinal(n) +
            " connection failed: " + limited->observation.evidence + ". " + cause,
        explained);
}

std::string stop_cause(const Diagnosis& d, const ServingFacts::Stop& stop) {
  const CaseResult* after = d.find(stop.stopped_after);
  const bool resets = after != nullptr && after->info.id == "tcp.robust.reset-before-read";
  if (resets) {
    return " Its clients had reset their connections with echo pending, so the server's next "
           "write failed with EPIPE or ECONNRESET: a server that leaves SIGPIPE at its default "
           "dies of it, and one that exits on any I/O error ends the same way.";
  }
  if (stop.transport == Transport::kUdp) {
    return " Its UDP service stopped answering: the thread or loop that serves datagrams ended "
           "or hangs.";
  }
  if (stop.refused) {
    return " New connections are refused: the server exited or crashed (an error path that "
           "exits, an unhandled signal such as SIGPIPE, or a crash on the data it was sent).";
  }
  return " Connections are still accepted (the kernel completes them) but never answered: the "
         "accept loop stopped, or the server hangs.";
}

void server_stopped(Diagnosis& d) {
  const auto& stop = d.serving().stop;
  if (!stop) return;
  std::vector<const CaseResult*> explained;
  const CaseResult* after = d.find(stop->stopped_after);
  if (after != nullptr && d.fell_short(after->info.id) && !d.explained(*after)) {
    explained.push_back(after);
  }
  for (const CaseResult* result : d.open()) {
    if (result != after && contains(stop->running, result->info.id) && nothing_came_back(*result)) {
      explained.push_back(result);
    }
  }
  const std::vector<const CaseResult*> later = not_run_after_stop(d, stop->transport);
  explained.insert(explained.end(), later.begin(), later.end());
  if (explained.empty() && after != nullptr) explained.push_back(after);
  std::string alongside;
  for (const std::string& id : stop->running) {
    if (id != stop->stopped_after) alongside += (alongside.empty() ? "" : ", ") + id;
  }
  std::string explanation = "Right after " + stop->stopped_after +
                            (alongside.empty() ? "" : " (which ran alongside " + alongside + ")") +
                            ", " + stop->evidence + "." + stop_cause(d, *stop);
  if (!later.empty()) {
    explanation +=
        " " + std::to_string(later.size()) + " later cases were not run (not judged, not failed).";
  }
  if (!stop->back_before.empty()) {
    explanation += " It served again before " + stop->back_before + ".";
  }
  if (!alongside.empty()) {
    explanation += " To learn which of the cases stopped it, rerun them with --jobs 1.";
  }
  const bool refused = stop->refused;
  const bool tcp = stop->transport == Transport::kTcp;
  d.add("server-stopped",
        "the server stopped serving " + std::string(tcp ? "TCP" : "UDP") + " after " +
            stop->stopped_after +
            (!tcp      ? ": datagrams are no longer answered"
             : refused ? ": new connections are refused"
                       : ": new connections are not answered"),
        explanation, explained);
}

// The cases that judge concurrency, when they ran, fall short because of it
// (before server_stopped: a serial server may also die later).
void one_client_at_a_time(Diagnosis& d) {
  if (!d.serving().one_client_at_a_time) return;
  std::vector<const CaseResult*> explained;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    const std::string& id = result->info.id;
    const bool judges_concurrency = starts_with(id, "tcp.concurrency.") ||
                                    id == "tcp.flow.stalled-client-isolation" ||
                                    id == "tcp.robust.idle-and-half-open";
    if (judges_concurrency && !starts_with(result->observation.evidence, "not run:")) {
      explained.push_back(result);
    }
  }
  std::string evidence =
      "A second client was echoed only after the first one disconnected, so the checker ran "
      "the cases one at a time.";
  if (!explained.empty()) {
    evidence +=
        " " + explained.front()->info.id + ": " + explained.front()->observation.evidence + ".";
  }
  evidence +=
      " Likely cause: an iterative server (accept, serve that client until it leaves, then "
      "accept the next).";
  d.add("one-client-at-a-time", "the server serves one client at a time", evidence, explained);
}

}  // namespace

void serving_rules(Diagnosis& d) {
  connection_limit(d);
  one_client_at_a_time(d);
  server_stopped(d);
}

}  // namespace echo::conformance::internal
