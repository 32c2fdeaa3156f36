#include "conformance/cases/support/datagram.h"

#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/stream_verifier.h"
#include "core/net/socket.h"
#include "core/net/udp.h"

namespace echo::conformance {

Result<DatagramClient> DatagramClient::open(const Endpoint& target, bool connected) {
  ECHO_ASSIGN_OR_RETURN(Fd fd,
                        (connected ? udp_connect(target) : udp_socket(target.family()))
                            .with_context("cannot open a UDP socket for " + target.to_string()));
  return DatagramClient(std::move(fd), target);
}

Status DatagramClient::send(std::span<const std::byte> data) {
  return send_datagram(fd_.get(), data, target_);
}

Result<Reply> DatagramClient::receive(Deadline deadline) {
  ECHO_ASSIGN_OR_RETURN(const Datagram got, receive_datagram(fd_.get(), buffer_, deadline));
  Reply reply;
  const std::size_t kept = std::min(got.size, buffer_.size());
  reply.data.assign(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(kept));
  reply.truncated = got.truncated;
  reply.from = got.peer;
  return reply;
}

namespace {

// Whether the target's UDP port answers with ICMP port unreachable.
std::optional<Error> port_unreachable(const CaseContext& context) {
  Result<DatagramClient> probe = DatagramClient::open(context.target, /*connected=*/true);
  if (!probe) return std::nullopt;
  const std::string hello = "is anyone there?";
  if (Status sent = probe->send(as_bytes(hello)); !sent) {
    if (sent.error().code == std::errc::connection_refused) return sent.error();
    return std::nullopt;
  }
  Result<Reply> reply = probe->receive(within(context, quiet_wait(context)));
  if (!reply && reply.error().code == std::errc::connection_refused) return reply.error();
  return std::nullopt;
}

}  // namespace

Problem no_reply(const CaseContext& context, const Error& error, std::chrono::milliseconds waited,
                 const std::string& expected, DatagramTrace trace) {
  std::optional<Error> refused;
  if (error.code == std::errc::connection_refused) refused = error;
  if (error.code == std::errc::timed_out) refused = port_unreachable(context);
  Problem problem;
  problem.expected = expected;
  if (refused) {
    problem.evidence = "no UDP service at " + context.target.to_string() +
                       " (ICMP port unreachable: " + refused->message + ")";
    problem.actual = "port unreachable";
    trace.port_unreachable = true;
  } else if (error.code == std::errc::timed_out) {
    problem.evidence = "no reply within " + ms_text(waited);
    problem.actual = "no reply";
  } else {
    problem.evidence = "receiving the reply failed: " + error.message;
    problem.actual = error.message;
  }
  problem.datagrams.push_back(std::move(trace));
  return problem;
}

std::optional<Problem> datagram_echo(const CaseContext& context, std::span<const std::byte> message,
                                     std::chrono::milliseconds wait) {
  const std::string expected = "one reply of the same " + bytes_text(message.size());
  DatagramTrace trace;
  trace.label = "a datagram of " + bytes_text(message.size());
  trace.sent.emplace_back(message.begin(), message.end());
  Result<DatagramClient> client = DatagramClient::open(context.target);
  if (!client) return Problem{client.error().message, expected, "no socket"};
  if (Status sent = client->send(message); !sent) {
    return Problem{
        "sending a " + bytes_text(message.size()) + " datagram failed: " + sent.error().message,
        expected, "not sent"};
  }
  Result<Reply> reply = client->receive(within(context, wait));
  if (!reply) return no_reply(context, reply.error(), wait, expected, std::move(trace));
  trace.replies.push_back({reply->data, reply->from == context.target});
  StreamVerifier verifier =
      StreamVerifier::for_bytes(std::vector<std::byte>(message.begin(), message.end()));
  verifier.feed(reply->data);
  if (verifier.complete() && !reply->truncated) return std::nullopt;
  Problem problem;
  problem.expected = expected;
  if (reply->truncated) {
    problem.evidence = "the reply was larger than 65536 bytes";
    problem.actual = "an oversized reply";
  } else {
    problem.evidence = "the reply differs from the datagram sent: " + verifier.describe();
    problem.actual =
        "a reply of " + bytes_text(reply->data.size()) +
        (verifier.mismatch() ? ", byte " + std::to_string(verifier.mismatch()->offset) + " differs"
                             : "");
  }
  problem.datagrams.push_back(std::move(trace));
  return problem;
}

}  // namespace echo::conformance
