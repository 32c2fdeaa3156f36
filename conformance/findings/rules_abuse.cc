// Rules for a UDP server that can be turned against itself or others: it
// answers datagrams from the ports of services that answer anything
// (udp.abuse.loop-guard), or from its own port (udp.abuse.own-port).
#include <algorithm>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance::internal {
namespace {

// The result of case `id` when it fell short because a datagram was answered.
const CaseResult* answered(const Diagnosis& d, std::string_view id) {
  const CaseResult* result = d.find(id);
  if (result == nullptr || d.explained(*result) || !d.fell_short(id) ||
      result->observation.kind != Observation::Kind::kShortfall) {
    return nullptr;
  }
  const auto& traces = result->observation.datagrams;
  const bool any_reply = std::any_of(traces.begin(), traces.end(),
                                     [](const DatagramTrace& t) { return !t.replies.empty(); });
  return any_reply ? result : nullptr;
}

constexpr const char* kLoop =
    " One datagram whose source is forged to be such a service makes this server and that "
    "service answer each other until one of them stops: the echo-chargen and echo-echo loops of "
    "CERT CA-1996-01 and CVE-1999-0103, back in 2024 as the application-layer loop DoS "
    "(CVE-2024-2169, CERT VU#417980).";
constexpr const char* kRateLimit =
    " Also limit replies per source address (a token bucket; RFC 8085 §6), so a loop the port "
    "check misses, or a flood, is bounded.";

void reflects_services(Diagnosis& d) {
  const CaseResult* result = answered(d, "udp.abuse.loop-guard");
  if (result == nullptr) return;
  d.add("udp-reflects-services", "datagrams from chargen's or echo's port are answered",
        "udp.abuse.loop-guard: " + result->observation.evidence + "." + kLoop +
            " Guard: before replying, drop datagrams from source port 0 and from the ports of "
            "services that answer anything (echo 7, discard 9, daytime 13, qotd 17, chargen 19, "
            "time 37, DNS 53, TFTP 69, NTP 123, SNMP 161, SSDP 1900, ...), as the inetd family "
            "does (NetBSD inetd refuses 7, 9, 13, 19 and 37; OpenBSD inetd every port below "
            "1024)." +
            kRateLimit,
        {result});
}

void answers_own_port(Diagnosis& d) {
  const CaseResult* result = answered(d, "udp.abuse.own-port");
  if (result == nullptr) return;
  d.add("udp-answers-own-port", "datagrams from the server's own port are answered",
        "udp.abuse.own-port: " + result->observation.evidence +
            ". Two echo servers on the same port number (on two addresses or hosts) then echo "
            "each other for ever once one forged datagram starts them (CVE-1999-0103; "
            "CVE-2024-2169, CERT VU#417980). Guard: drop datagrams whose source port is one of "
            "the server's own ports, as FreeBSD inetd does (\"loop request REFUSED\")." +
            kRateLimit,
        {result});
}

}  // namespace

void abuse_rules(Diagnosis& d) {
  reflects_services(d);
  answers_own_port(d);
}

}  // namespace echo::conformance::internal
