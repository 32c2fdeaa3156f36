// udp.burst.*: 1,000 numbered datagrams as fast as the client can send them;
// loss, reordering, duplication and delay of the replies (a measurement).
#include <poll.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/datagram.h"
#include "conformance/cases/support/stats.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/payload.h"
#include "conformance/record/datagram_recording.h"
#include "core/codec/probe_record.h"
#include "core/net/io.h"
#include "core/net/udp.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kCount = 1000;
constexpr std::size_t kPayload = 36;  // a 64-byte probe record

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// The one probe record a reply holds, or nullopt when it is anything else.
std::optional<ProbeRecord> decode_one(const std::vector<std::byte>& datagram) {
  ProbeRecordDecoder decoder;
  std::vector<ProbeRecord> records;
  bool bad = false;
  feed_all(decoder, datagram, [&](DecodeEvent<ProbeRecord>&& event) {
    if (auto* record = std::get_if<ProbeRecord>(&event))
      records.push_back(std::move(*record));
    else
      bad = true;
  });
  decoder.finish();
  while (decoder.next()) bad = true;
  if (bad || records.size() != 1) return std::nullopt;
  return std::move(records.front());
}

struct Tally {
  std::vector<int> copies = std::vector<int>(kCount, 0);
  std::uint64_t highest = 0;
  bool any = false;
  int reordered = 0;
  int corrupt = 0;
  std::vector<double> delay_us;

  // Counts a reply; true when it is the first copy of an intact record.
  bool count(const Reply& reply, const std::vector<std::byte>& payload) {
    const std::optional<ProbeRecord> record = decode_one(reply.data);
    if (!record || record->payload != payload || record->sequence >= kCount) {
      ++corrupt;
      return false;
    }
    const std::uint64_t seq = record->sequence;
    if (++copies[seq] > 1) return false;
    if (any && seq < highest) ++reordered;
    highest = any ? std::max(highest, seq) : seq;
    any = true;
    delay_us.push_back(static_cast<double>(now_ns() - record->send_time_ns) / 1000.0);
    return true;
  }
};

Observation burst(const CaseContext& context) {
  Result<DatagramClient> client = DatagramClient::open(context.target);
  if (!client) return not_judged("not measured: " + client.error().message);
  const auto padding = PayloadStream(context.seed, 0xB0).prefix(kPayload);
  Tally tally;
  DatagramRecording recording(context.recorder, context.case_id);
  auto count = [&](const Reply& reply) { recording.add(reply.data, tally.count(reply, padding)); };
  std::vector<std::byte> message;
  auto drain = [&] {
    for (;;) {
      Result<Reply> reply = client->receive(Deadline::after(Clock::duration::zero()));
      if (!reply) return;
      count(*reply);
    }
  };
  for (std::uint32_t seq = 0; seq < kCount && !context.deadline.expired();) {
    message.clear();
    encode_probe_record(message, ProbeRecord{seq, now_ns(), padding});
    Status sent = client->send(message);
    if (!sent && sent.error().code == std::errc::connection_refused) {
      return not_judged("not measured: no UDP service at " + context.target.to_string() +
                        " (ICMP port unreachable)");
    }
    if (sent)
      ++seq;
    else
      (void)wait_ready(client->fd(), POLLOUT, within(context, milliseconds(10)));
    drain();
  }
  const Deadline settle = within(context, reply_wait(context));
  while (std::count(tally.copies.begin(), tally.copies.end(), 0) > 0 && !settle.expired()) {
    Result<Reply> reply = client->receive(settle);
    if (reply) count(*reply);
  }
  drain();
  const auto received =
      std::count_if(tally.copies.begin(), tally.copies.end(), [](int n) { return n > 0; });
  int duplicates = 0;
  for (int n : tally.copies) duplicates += n > 1 ? n - 1 : 0;
  const double lost = kCount - static_cast<double>(received);
  return measured({{"sent", kCount, "datagrams"},
                   {"received", static_cast<double>(received), "datagrams"},
                   {"loss", 100.0 * lost / kCount, "%"},
                   {"reordered", static_cast<double>(tally.reordered), "datagrams"},
                   {"duplicated", static_cast<double>(duplicates), "datagrams"},
                   {"corrupt", static_cast<double>(tally.corrupt), "datagrams"},
                   {"delay_p50", percentile(tally.delay_us, 50), "us"},
                   {"delay_p99", percentile(tally.delay_us, 99), "us"}},
                  received == 0 ? "no reply to any of the " + std::to_string(kCount) +
                                      " datagrams within " + ms_text(reply_wait(context))
                                : "");
}

}  // namespace

std::vector<Case> udp_burst_cases() {
  return {
      {{"udp.burst.1000",
        "1,000 64-byte probe records (sequence, send time, CRC-32C) sent back to back: loss, "
        "reordering, duplication, "
        "delay",
        kMeasurement,
        "measurement, beyond RFC 862; RFC 8085 §3.1 (UDP gives no delivery "
        "guarantee)",
        Level::kInformational, Transport::kUdp, milliseconds(5000), Schedule::kAlone, 4},
       burst},
  };
}

}  // namespace echo::conformance
