// udp.echo.* and udp.size.*: one datagram in, the same datagram back.
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

Observation judged(std::optional<Problem> problem) {
  return problem ? shortfall(std::move(*problem)) : met();
}

Observation text(const CaseContext& context) {
  return judged(datagram_echo(context, as_bytes("Hello, UDP echo!"), reply_wait(context)));
}

Observation binary(const CaseContext& context) {
  std::vector<std::byte> message(256);
  for (std::size_t v = 0; v < message.size(); ++v) message[v] = static_cast<std::byte>(v);
  return judged(datagram_echo(context, message, reply_wait(context)));
}

template <std::size_t kSize>
Observation sized(const CaseContext& context) {
  const auto message = PayloadStream(context.seed, 0x5000 + kSize).prefix(kSize);
  return judged(datagram_echo(context, message, reply_wait(context)));
}

Observation empty(const CaseContext& context) {
  return judged(datagram_echo(context, {}, reply_wait(context)));
}

Case udp_case(std::string id, std::string title, Level level, CaseFunction run,
              const char* source = "RFC 862; RFC 768") {
  return {{std::move(id), std::move(title), kRfc862Udp, source, level, Transport::kUdp,
           milliseconds(3000), Schedule::kShared, 4},
          std::move(run)};
}

}  // namespace

std::vector<Case> udp_content_cases() {
  return {
      udp_case("udp.echo.text", "A short text datagram comes back unchanged", Level::kRequired,
               text),
      udp_case("udp.echo.binary", "A datagram of all 256 byte values comes back unchanged",
               Level::kRequired, binary),
      udp_case("udp.size.1472", "A 1,472-byte datagram (a full Ethernet frame) comes back whole",
               Level::kRequired, sized<1472>),
      udp_case("udp.size.8192", "An 8,192-byte datagram comes back whole", Level::kRequired,
               sized<8192>),
      udp_case("udp.size.65507",
               "A 65,507-byte datagram (the largest over IPv4) comes back whole, not truncated",
               Level::kRecommended, sized<65507>, "RFC 862; RFC 768; RFC 8085 §3.2"),
      udp_case("udp.echo.empty", "A zero-length datagram is answered with a zero-length datagram",
               Level::kRecommended, empty),
  };
}

}  // namespace echo::conformance
