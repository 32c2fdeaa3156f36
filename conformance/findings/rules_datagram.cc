// Rules for UDP: no service, silence, cut datagrams, merged or duplicated
// replies, replies from elsewhere, empty datagrams ignored.
#include <algorithm>
#include <set>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance::internal {
namespace {

const std::vector<DatagramTrace>& datagrams(const CaseResult& result) {
  return result.observation.datagrams;
}

template <class Test>
std::vector<const CaseResult*> with_datagram_trace(const Diagnosis& d, Test test) {
  std::vector<const CaseResult*> out;
  for (const CaseResult* result : d.open(Transport::kUdp)) {
    const auto& all = datagrams(*result);
    if (std::any_of(all.begin(), all.end(), test)) out.push_back(result);
  }
  return out;
}

bool is_prefix(const Bytes& part, const Bytes& whole) {
  return part.size() < whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

// Sizes of replies that are a sent datagram cut short.
std::set<std::size_t> cut_sizes(const DatagramTrace& t) {
  std::set<std::size_t> sizes;
  for (const auto& reply : t.replies) {
    for (const Bytes& sent : t.sent) {
      if (is_prefix(reply.data, sent)) sizes.insert(reply.data.size());
    }
  }
  return sizes;
}

bool merged(const DatagramTrace& t) {
  for (const auto& reply : t.replies) {
    for (std::size_t first = 0; first + 1 < t.sent.size(); ++first) {
      Bytes joined = t.sent[first];
      for (std::size_t next = first + 1; next < t.sent.size(); ++next) {
        joined.insert(joined.end(), t.sent[next].begin(), t.sent[next].end());
        if (reply.data == joined) return true;
      }
    }
  }
  return false;
}

bool duplicated(const DatagramTrace& t) {
  for (const Bytes& sent : t.sent) {
    const auto copies = std::count_if(t.replies.begin(), t.replies.end(),
                                      [&sent](const auto& reply) { return reply.data == sent; });
    if (copies > 1) return true;
  }
  return false;
}

std::string first(const std::vector<const CaseResult*>& cases) {
  return cases.front()->info.id + ": " + cases.front()->observation.evidence;
}

std::string cause(std::string_view kind) {
  return ". Likely cause: " + std::string(find_kind(kind)->cause);
}

void no_service(Diagnosis& d) {
  bool any_passed = false;
  for (const CaseResult& result : d.report().cases) {
    if (result.info.transport == Transport::kUdp && result.verdict == Verdict::kPass) {
      any_passed = true;
    }
  }
  // A port that answered some case and is closed for a later one is a server
  // that went away (a hazard case killed it), not one without UDP.
  const auto closed =
      with_datagram_trace(d, [](const DatagramTrace& t) { return t.port_unreachable; });
  if (!closed.empty() && !any_passed) {
    d.add("udp-port-closed", "no UDP service on the port",
          first(closed) +
              ". RFC 862 defines echo over UDP too; check a TCP-only server with "
              "--tcp-only.",
          d.open(Transport::kUdp));
    return;
  }
  if (!closed.empty()) return;
  const auto open = d.open(Transport::kUdp);
  const bool all_silent =
      !open.empty() && std::all_of(open.begin(), open.end(), [](const CaseResult* result) {
        const auto& all = datagrams(*result);
        return std::all_of(all.begin(), all.end(),
                           [](const DatagramTrace& t) { return t.replies.empty(); });
      });
  if (any_passed || !all_silent) return;
  d.add("udp-silent", "no UDP reply at all while the port is open",
        first(open) +
            ". No datagram was answered, and none was refused with ICMP port unreachable. Some "
            "inetd implementations refuse datagrams from loopback or from privileged source ports "
            "as a loop guard (OpenBSD inetd drops 127/8 sources): to test such a server, run the "
            "checker from another address (another host, or a network namespace) and an "
            "unprivileged port.",
        open);
}

void truncated(Diagnosis& d) {
  std::set<std::size_t> sizes;
  const auto cut = with_datagram_trace(d, [&sizes](const DatagramTrace& t) {
    const auto here = cut_sizes(t);
    sizes.insert(here.begin(), here.end());
    return !here.empty();
  });
  if (cut.empty()) return;
  const std::string size = sizes.size() == 1
                               ? std::to_string(*sizes.begin()) + " bytes"
                               : "sizes from " + std::to_string(*sizes.begin()) + " to " +
                                     std::to_string(*sizes.rbegin()) + " bytes";
  d.add("udp-truncated",
        sizes.size() == 1 ? "datagrams are cut at " + size : "datagrams come back cut short",
        first(cut) + "; every reply cut short was " + size + cause("udp-truncated"), cut);
}

}  // namespace

void datagram_rules(Diagnosis& d) {
  no_service(d);
  truncated(d);
  if (auto m = with_datagram_trace(d, merged); !m.empty()) {
    d.add("udp-merged", "back-to-back datagrams are merged into one reply",
          first(m) + cause("udp-merged"), m);
  }
  if (auto dup = with_datagram_trace(d, duplicated); !dup.empty()) {
    d.add("udp-duplicate", "datagrams are answered more than once",
          first(dup) + cause("udp-duplicate"), dup);
  }
  auto elsewhere = with_datagram_trace(d, [](const DatagramTrace& t) {
    return std::any_of(t.replies.begin(), t.replies.end(),
                       [](const auto& reply) { return !reply.from_target; });
  });
  if (!elsewhere.empty()) {
    d.add("udp-wrong-source", "replies come from another address or port",
          first(elsewhere) + cause("udp-wrong-source"), elsewhere);
  }
  const CaseResult* empty = d.find("udp.echo.empty");
  if (empty != nullptr && !d.explained(*empty) && d.fell_short(empty->info.id) &&
      d.passed("udp.echo.text")) {
    const auto& all = datagrams(*empty);
    const bool unanswered = std::all_of(all.begin(), all.end(),
                                        [](const DatagramTrace& t) { return t.replies.empty(); });
    if (unanswered && !all.empty()) {
      d.add("udp-empty-ignored", "empty datagrams get no reply",
            "udp.echo.empty: " + empty->observation.evidence +
                ", while datagrams with data were answered" + cause("udp-empty-ignored"),
            {empty});
    }
  }
}

}  // namespace echo::conformance::internal
