// udp.reply.*: one answering datagram per datagram, from the address asked.
#include <algorithm>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/datagram.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

// Which sent datagram a reply is, or a description of what it is instead.
std::string classify(const std::vector<std::vector<std::byte>>& sent, const Reply& reply,
                     std::vector<int>& seen) {
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (reply.data != sent[i]) continue;
    if (++seen[i] > 1) return "a duplicate reply to datagram " + std::to_string(i + 1);
    return "";
  }
  const std::string what = "a reply of " + bytes_text(reply.data.size()) + " ";
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (reply.data.size() < sent[i].size() &&
        std::equal(reply.data.begin(), reply.data.end(), sent[i].begin())) {
      return what + "that is datagram " + std::to_string(i + 1) + " (" +
             bytes_text(sent[i].size()) + ") truncated";
    }
  }
  return what + "that matches no datagram sent (coalesced or altered?), starting " +
         hex_excerpt(reply.data, kNoMark, 16);
}

Observation one_reply_per_datagram(const CaseContext& context) {
  const std::string expected = "exactly one identical reply to each of 3 datagrams";
  Result<DatagramClient> client = DatagramClient::open(context.target);
  if (!client) return not_judged(client.error().message);
  DatagramTrace trace;
  trace.label = "3 datagrams of 100, 200 and 300 bytes, back to back";
  for (std::size_t size : {100u, 200u, 300u}) {
    trace.sent.push_back(PayloadStream(context.seed, 0x0D0 + size).prefix(size));
    if (Status s = client->send(trace.sent.back()); !s) return not_judged(s.error().message);
  }
  std::vector<int> seen(trace.sent.size(), 0);
  std::vector<std::string> anomalies;
  Deadline deadline = within(context, reply_wait(context));
  for (;;) {
    Result<Reply> reply = client->receive(deadline);
    if (!reply && reply.error().code == std::errc::timed_out) break;
    if (!reply) {
      return shortfall(
          no_reply(context, reply.error(), reply_wait(context), expected, std::move(trace)));
    }
    trace.replies.push_back({reply->data, reply->from == context.target});
    if (std::string a = classify(trace.sent, *reply, seen); !a.empty()) anomalies.push_back(a);
    // Once every datagram is answered, only listen a little longer for extras.
    if (std::count(seen.begin(), seen.end(), 0) == 0)
      deadline = within(context, quiet_wait(context));
  }
  for (std::size_t i = 0; i < trace.sent.size(); ++i) {
    if (seen[i] == 0)
      anomalies.push_back("no reply to datagram " + std::to_string(i + 1) + " (" +
                          bytes_text(trace.sent[i].size()) + ")");
  }
  const std::size_t replies = trace.replies.size();
  if (replies == 0) {
    const Error silence{"timed out", std::make_error_code(std::errc::timed_out)};
    return shortfall(no_reply(context, silence, reply_wait(context), expected, std::move(trace)));
  }
  if (anomalies.empty()) return met();
  std::string evidence = std::to_string(replies) + " replies to 3 datagrams";
  for (const auto& a : anomalies) evidence += "; " + a;
  Problem problem{evidence, expected, std::to_string(replies) + " replies, " + anomalies.front()};
  problem.datagrams.push_back(std::move(trace));
  return shortfall(std::move(problem));
}

Observation reply_from_target(const CaseContext& context) {
  const std::string expected = "a reply from " + context.target.to_string();
  Result<DatagramClient> client = DatagramClient::open(context.target, /*connected=*/false);
  if (!client) return not_judged(client.error().message);
  const std::string message = "who is answering?";
  DatagramTrace trace;
  trace.label = "a datagram from an unconnected socket";
  trace.sent.emplace_back(as_bytes(message).begin(), as_bytes(message).end());
  if (Status s = client->send(as_bytes(message)); !s) return not_judged(s.error().message);
  Result<Reply> reply = client->receive(within(context, reply_wait(context)));
  if (!reply) {
    return shortfall(
        no_reply(context, reply.error(), reply_wait(context), expected, std::move(trace)));
  }
  if (reply->from == context.target) return met();
  trace.replies.push_back({reply->data, false});
  const std::string actual = "a reply from " + reply->from.to_string();
  Problem problem;
  problem.expected = expected;
  problem.actual = actual;
  problem.evidence =
      reply->from.port() != context.target.port()
          ? "the reply came from port " + std::to_string(reply->from.port()) +
                ", not the port the request was sent to: " + actual +
                " (a connected client never sees it)"
          : "the reply came from another address: " + actual +
                " (RFC 1122 §4.1.3.5: the response SHOULD use the request's destination address)";
  problem.datagrams.push_back(std::move(trace));
  return shortfall(std::move(problem));
}

}  // namespace

std::vector<Case> udp_datagram_cases() {
  return {
      {{"udp.reply.one-per-datagram",
        "Three datagrams sent back to back get exactly three replies: no duplicates, no "
        "coalescing, no truncation",
        kRfc862Udp, "RFC 862; RFC 768", Level::kRequired, Transport::kUdp, milliseconds(3000),
        Schedule::kShared, 4},
       one_reply_per_datagram},
      {{"udp.reply.source-address",
        "The reply comes from the address and port the request was sent to",
        "RFC 1122 §4.1.3.5: \"A request/response application that uses UDP SHOULD use a source "
        "address for the response that is the same as the specific destination address of the "
        "request.\"",
        "RFC 1122 §4.1.3.5; RFC 8085", Level::kRecommended, Transport::kUdp, milliseconds(3000),
        Schedule::kShared, 4},
       reply_from_target},
  };
}

}  // namespace echo::conformance
