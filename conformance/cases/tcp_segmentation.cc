// tcp.segment.*: the echo does not depend on how the client splits its writes.
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <memory>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/pump.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/random.h"
#include "core/net/socket.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

struct StreamPlan {
  std::uint64_t stream;  // payload stream id
  std::uint64_t total;
  std::function<std::size_t()> write_size;
  std::size_t max_write;
  bool nodelay = false;
};

// Runs one checked stream on a new connection; the pump result goes to `result` if given.
std::optional<Problem> run_stream(const CaseContext& context, const StreamPlan& plan,
                                  PumpResult* result = nullptr) {
  Result<Conversation> c = Conversation::open(context, within(context, reply_wait(context)));
  if (!c) return no_connection(c.error(), plan.total);
  if (plan.nodelay) (void)set_tcp_nodelay(c->fd(), true);
  const PayloadStream payload(context.seed, plan.stream);
  StreamVerifier verifier = StreamVerifier::for_payload(payload, plan.total);
  PumpOptions options;
  options.total = plan.total;
  options.next_write_size = plan.write_size;
  options.max_write = plan.max_write;
  options.stall = stall_wait(context);
  options.drain = drain_wait(context);
  options.judge_rate_after = scaled(context, milliseconds(2000), 2);
  options.deadline = before_end(context, options.drain);
  PumpResult r = pump(*c, payload, verifier, options);
  if (result) *result = r;
  return pump_problem(r, verifier, options);
}

Observation judged(std::optional<Problem> problem) {
  return problem ? shortfall(std::move(*problem)) : met();
}

Observation one_byte_writes(const CaseContext& context) {
  return judged(run_stream(context, {0x1B, 512, [] { return std::size_t{1}; }, 1, true}));
}

Observation random_chunks(const CaseContext& context) {
  auto sizer = std::make_shared<ChunkSizer>(derive_seed(context.seed, 0xC4), 1, 16 * 1024);
  return judged(
      run_stream(context, {0xC4, 1 << 20, [sizer] { return sizer->next(); }, 16 * 1024, true}));
}

Observation large_write(const CaseContext& context) {
  constexpr std::size_t kMiB = 1 << 20;
  return judged(run_stream(context, {0x1A, kMiB, [] { return kMiB; }, kMiB}));
}

Observation long_stream(const CaseContext& context) {
  constexpr std::uint64_t kTotal = 64ull << 20;
  PumpResult result;
  auto problem = run_stream(context, {0x64, kTotal, nullptr, 256 * 1024}, &result);
  const double seconds = std::chrono::duration<double>(result.elapsed).count();
  const std::vector<Figure> figures = {
      {"throughput", seconds > 0 ? static_cast<double>(result.sent) / seconds / 1e6 : 0, "MB/s"},
      {"bytes", static_cast<double>(kTotal), "bytes"}};
  Observation observation = judged(std::move(problem));
  observation.figures = figures;
  return observation;
}

}  // namespace

std::vector<Case> tcp_segmentation_cases() {
  return {
      {{"tcp.segment.one-byte-writes",
        "512 bytes written one byte per send (TCP_NODELAY) come back in order", kRfc862Tcp,
        "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(4000), Schedule::kShared, 10},
       one_byte_writes},
      {{"tcp.segment.random-chunks",
        "1 MiB written in seeded random chunk sizes (1-16384 bytes) comes back in order",
        kRfc862Tcp, "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(6000),
        Schedule::kShared, 6},
       random_chunks},
      {{"tcp.segment.large-write", "1 MiB handed to a single send() comes back intact", kRfc862Tcp,
        "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(6000), Schedule::kShared, 6},
       large_write},
      {{"tcp.segment.stream-64mib",
        "A 64 MiB stream, written and read concurrently, comes back with every byte verified",
        kRfc862Tcp, "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(20000),
        Schedule::kAlone, 6},
       long_stream},
  };
}

}  // namespace echo::conformance
