// Rules for a server whose TCP echo never works while a connection is open:
// it waits for the client's end of stream, it sends something else, or
// nothing comes back at all (silence, an immediate close, a reset).
#include <algorithm>
#include <map>
#include <string>

#include "conformance/findings/internal/diagnosis.h"
#include "conformance/oracle/hex.h"

namespace echo::conformance::internal {
namespace {

// Every open TCP result whose streams all got nothing back (or that has no
// stream: not judged, or a measurement with nothing measured). With
// `open_only`, streams the client had shut down do not count: a server that
// waits for end of stream answers those.
std::vector<const CaseResult*> open_with_nothing_back(const Diagnosis& d, bool open_only) {
  std::vector<const CaseResult*> out;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    const auto& all = streams(*result);
    const bool nothing = std::all_of(all.begin(), all.end(), [open_only](const StreamTrace& t) {
      return t.received == 0 && !(open_only && t.client_shut_down);
    });
    if (nothing) out.push_back(result);
  }
  return out;
}

std::string first_evidence(const std::vector<const CaseResult*>& cases) {
  for (const CaseResult* result : cases) {
    if (!streams(*result).empty()) return result->info.id + ": " + result->observation.evidence;
  }
  return cases.empty() ? "" : cases.front()->info.id + ": " + cases.front()->observation.evidence;
}

void waits_for_eof(Diagnosis& d) {
  const CaseResult* shown = nullptr;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    for (const StreamTrace& t : streams(*result)) {
      if (t.arrived_after_shutdown) shown = result;
    }
  }
  // A line-buffered server also sends a partial line at end of stream; it
  // echoes whole lines at once, so tcp.echo.text (one line) tells them apart.
  if (shown == nullptr || !d.fell_short("tcp.echo.text")) return;
  std::vector<const CaseResult*> explained = open_with_nothing_back(d, /*open_only=*/true);
  if (std::find(explained.begin(), explained.end(), shown) == explained.end()) {
    explained.insert(explained.begin(), shown);
  }
  d.add("waits-for-eof", "the echo comes only after the client closes its sending side",
        shown->info.id + ": " + shown->observation.evidence +
            ". Every case that waited for an echo on an open connection got nothing. Likely "
            "cause: the server reads until end of file before it writes.",
        explained);
}

void unsolicited(Diagnosis& d) {
  const CaseResult* text = d.find("tcp.echo.text");
  if (text == nullptr || d.explained(*text) || streams(*text).empty()) return;
  const StreamTrace& t = streams(*text).front();
  if (t.mismatch != 0u || t.inserted > 0 || greeting_length(t) > 0) return;
  std::vector<const CaseResult*> explained;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    const auto& all = streams(*result);
    const bool wrong_from_start = std::all_of(all.begin(), all.end(), [](const StreamTrace& s) {
      return s.mismatch == 0u && greeting_length(s) == 0;
    });
    if (wrong_from_start) explained.push_back(result);
  }
  d.add("unsolicited-data", "the server sends data that is not the echo",
        "tcp.echo.text sent " + quoted_text(t.expected_head) + " and the first bytes back were " +
            quoted_text(t.received_head) +
            ", not the echo; no case got its echo. Check that an echo service listens on this "
            "port.",
        explained);
}

void nothing_at_all(Diagnosis& d) {
  if (d.serving().served_at_start) return;
  const std::vector<const CaseResult*> silent = open_with_nothing_back(d, /*open_only=*/false);
  const std::vector<const CaseResult*> open = d.open(Transport::kTcp);
  if (silent.empty() || silent.size() != open.size()) return;
  // How each case's first stream ended. A server that closes at once sends
  // FIN, but RST where the client's bytes arrived before its close() (the
  // kernel resets a connection closed with unread data): a mix of FIN and RST
  // is a close, while a server that resets never sends a FIN.
  std::map<StreamEnd, int> ends;
  const CaseResult* first_fin = nullptr;
  for (const CaseResult* result : silent) {
    if (streams(*result).empty()) continue;
    const StreamEnd end = streams(*result).front().end;
    ++ends[end];
    if (end == StreamEnd::kFin && first_fin == nullptr) first_fin = result;
  }
  const int fins = ends[StreamEnd::kFin];
  const int resets = ends[StreamEnd::kReset];
  const int others =
      ends[StreamEnd::kStalled] + ends[StreamEnd::kDeadline] + ends[StreamEnd::kWrong];
  const std::string evidence = first_evidence(silent);
  if (fins > 0 && fins + resets > others) {
    d.add("closes-at-once", "the server closes every connection before echoing",
          first_fin->info.id + ": " + first_fin->observation.evidence +
              ". No TCP connection got a byte back: " + std::to_string(fins) +
              " ended with the server's FIN, " + std::to_string(resets) +
              " with RST (the kernel resets a connection closed with unread data, or one the "
              "client wrote on after the FIN).",
          silent);
  } else if (resets > others) {
    d.add("resets-connections", "the server resets connections instead of echoing",
          evidence + ". No TCP connection got a byte back before it was reset (RST).", silent);
  } else if (others > 0) {
    d.add("no-echo", "nothing is echoed over TCP",
          evidence + ". Connections are accepted, but no byte came back on any of them.", silent);
  } else {
    d.add("no-echo", "no TCP connection could be made or used", evidence + ".", silent);
  }
}

}  // namespace

void silence_rules(Diagnosis& d) {
  waits_for_eof(d);
  unsolicited(d);
  nothing_at_all(d);
}

}  // namespace echo::conformance::internal
