#include "conformance/explore/testing/fake_server.h"

#include <algorithm>
#include <map>
#include <memory>

namespace echo::conformance::explore::testing {
namespace {

FakeReply echo_all(const FakeConnection& c) {
  FakeReply reply;
  for (const Bytes& read : c.reads)
    reply.echoed.insert(reply.echoed.end(), read.begin(), read.end());
  return reply;
}

}  // namespace

ScriptRecord simulate(const Script& script, const FakeServer& server) {
  const auto shared = std::make_shared<const Script>(script);
  const auto tcp = server.tcp ? server.tcp : echo_all;
  std::map<ChannelId, FakeConnection> connections;
  std::map<ChannelId, bool> closed;
  std::map<ChannelId, DatagramRecord> sockets;
  for (const Step& step : script.steps) {
    switch (step.kind) {
      case Step::Kind::kConnect:
        connections[step.channel];
        break;
      case Step::Kind::kSocket:
        sockets[step.channel].channel = step.channel;
        break;
      case Step::Kind::kSend:
      case Step::Kind::kBurst: {
        if (connections.contains(step.channel)) {
          if (step.payload.size() > 0)
            connections[step.channel].reads.push_back(step.payload.bytes());
          break;
        }
        const std::uint32_t copies = step.kind == Step::Kind::kBurst ? step.count : 1;
        DatagramTrace& trace = sockets[step.channel].trace;
        for (std::uint32_t i = 0; i < copies; ++i) {
          const Bytes datagram = step.payload.bytes();
          trace.sent.push_back(datagram);
          const std::vector<Bytes> replies =
              server.udp ? server.udp(datagram) : std::vector<Bytes>{datagram};
          for (const Bytes& r : replies) trace.replies.push_back({r, true});
        }
        break;
      }
      case Step::Kind::kShutdown:
        connections[step.channel].shut_down = true;
        break;
      case Step::Kind::kClose:
      case Step::Kind::kReset:
        closed[step.channel] = true;
        break;
      default:
        break;
    }
  }
  ScriptRecord record;
  for (const auto& [id, connection] : connections) {
    StreamRecord r = StreamRecord::start(id, expected_stream(shared, id));
    const FakeReply reply = tcp(connection);
    r.verifier.feed(reply.echoed);
    for (const Bytes& read : connection.reads) r.sent += read.size();
    r.first_write = connection.reads.empty() ? 0 : connection.reads.front().size();
    r.shut_down = connection.shut_down;
    r.client_closed = closed[id];
    if (!r.verifier.ok()) {
      r.end = r.verifier.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete;
    } else if (r.verifier.complete()) {
      r.end = StreamEnd::kComplete;
      r.after = AfterEcho::kFin;
    } else {
      r.end = reply.end;
    }
    record.streams.push_back(std::move(r));
  }
  for (auto& [id, socket] : sockets) record.datagrams.push_back(std::move(socket));
  return record;
}

FakeServer correct_server() { return {}; }

FakeServer nul_cut_server() {
  return {[](const FakeConnection& c) {
            FakeReply reply;
            for (const Bytes& read : c.reads) {
              const auto nul = std::find(read.begin(), read.end(), std::byte{0});
              reply.echoed.insert(reply.echoed.end(), read.begin(), nul);
            }
            return reply;
          },
          {}};
}

FakeServer crlf_server() {
  return {[](const FakeConnection& c) {
            FakeReply reply;
            for (const Bytes& read : c.reads) {
              for (std::byte b : read) {
                if (b == std::byte{'\n'}) reply.echoed.push_back(std::byte{'\r'});
                reply.echoed.push_back(b);
              }
            }
            return reply;
          },
          {}};
}

FakeServer cut_64k_server() {
  return {[](const FakeConnection& c) {
            FakeReply reply = echo_all(c);
            if (reply.echoed.size() > 65536) {
              reply.echoed.resize(65536);
              reply.end = StreamEnd::kFin;
            }
            return reply;
          },
          {}};
}

FakeServer drop_tail_server() {
  return {[](const FakeConnection& c) {
            if (!c.shut_down || c.reads.empty()) return echo_all(c);
            FakeConnection kept = c;
            kept.reads.pop_back();
            FakeReply reply = echo_all(kept);
            reply.end = StreamEnd::kFin;
            return reply;
          },
          {}};
}

FakeServer udp_truncate_server() {
  return {{}, [](const Bytes& datagram) {
            return std::vector<Bytes>{Bytes(
                datagram.begin(),
                datagram.begin() +
                    static_cast<std::ptrdiff_t>(std::min<std::size_t>(datagram.size(), 1024)))};
          }};
}

}  // namespace echo::conformance::explore::testing
