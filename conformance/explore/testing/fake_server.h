// An in-memory stand-in for a server, for the tests of the oracle and the
// shrinker: it turns a script into the record (record.h) a real run against
// a server with that behaviour would give, without a socket. Each TCP send
// step arrives as one read; each datagram gets the replies the UDP behaviour
// returns for it.
//
// Example:
//   FakeServer nul_cut{.tcp = [](const FakeConnection& c) { ... }};
//   Verdict v = judge(script, simulate(script, nul_cut));
#pragma once

#include <functional>
#include <vector>

#include "conformance/explore/record.h"
#include "conformance/explore/script.h"

namespace echo::conformance::explore::testing {

// What one TCP connection of a script sent.
struct FakeConnection {
  std::vector<Bytes> reads;  // one per send step
  bool shut_down = false;    // the script half-closed it
};

// What the server sent back on it and how the connection ended when the echo
// was not complete (kStalled: it kept the connection open and silent).
struct FakeReply {
  Bytes echoed;
  StreamEnd end = StreamEnd::kStalled;
};

struct FakeServer {
  std::function<FakeReply(const FakeConnection&)> tcp;  // default: a correct echo
  std::function<std::vector<Bytes>(const Bytes&)> udp;  // replies per datagram; default: one echo
};

[[nodiscard]] ScriptRecord simulate(const Script& script, const FakeServer& server);

// Servers with one flaw each, as the fixtures of the same names have.
[[nodiscard]] FakeServer correct_server();
[[nodiscard]] FakeServer nul_cut_server();       // each read cut at its first NUL
[[nodiscard]] FakeServer crlf_server();          // every LF comes back as CR LF
[[nodiscard]] FakeServer cut_64k_server();       // FIN after 65,536 bytes
[[nodiscard]] FakeServer drop_tail_server();     // at the client's FIN, its last read is lost
[[nodiscard]] FakeServer udp_truncate_server();  // replies cut at 1,024 bytes

}  // namespace echo::conformance::explore::testing
