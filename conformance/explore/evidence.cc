#include "conformance/explore/evidence.h"

#include <algorithm>

#include "conformance/oracle/hex.h"

namespace echo::conformance::explore {
namespace {

constexpr std::size_t kDatagramsShown = 8;

std::vector<std::string> stream_lines(const StreamTrace& t) {
  std::vector<std::string> lines;
  if (t.mismatch || t.received < t.expected || t.extra > 0) {
    const std::uint64_t point =
        t.mismatch ? *t.mismatch : std::min<std::uint64_t>(t.received, t.expected);
    const std::size_t mark = static_cast<std::size_t>(point - t.window_start);
    const std::string from = "from byte " + std::to_string(t.window_start) + ": ";
    lines.push_back("sent " + from + hex_excerpt(t.expected_window, mark));
    lines.push_back("received " + from +
                    (t.received_window.empty() ? std::string("nothing")
                                               : hex_excerpt(t.received_window, mark)));
  }
  std::string ended = "the connection: " + std::string(to_string(t.end)) + " (" +
                      std::to_string(t.received) + " of " + std::to_string(t.expected) +
                      " bytes came back";
  if (t.extra > 0) ended += ", " + std::to_string(t.extra) + " more than sent";
  ended += ")";
  if (t.client_shut_down) ended += "; the client had half-closed it";
  if (t.after != AfterEcho::kNotWatched) {
    ended += "; after the echo: " + std::string(to_string(t.after));
  }
  lines.push_back(ended);
  return lines;
}

std::vector<std::string> datagram_lines(const DatagramTrace& t) {
  std::vector<std::string> lines;
  std::string sent =
      "sent " + std::to_string(t.sent.size()) + " datagram" + (t.sent.size() == 1 ? "" : "s") + ":";
  for (std::size_t i = 0; i < std::min(t.sent.size(), kDatagramsShown); ++i) {
    sent += " " + std::to_string(t.sent[i].size()) + " bytes " + quoted_text(t.sent[i], 16) + ";";
  }
  if (t.sent.size() > kDatagramsShown) sent += " ...";
  lines.push_back(sent);
  std::string got = "received " + std::to_string(t.replies.size()) + " repl" +
                    (t.replies.size() == 1 ? "y" : "ies") + ":";
  for (std::size_t i = 0; i < std::min(t.replies.size(), kDatagramsShown); ++i) {
    const auto& r = t.replies[i];
    got += " " + std::to_string(r.data.size()) + " bytes " + quoted_text(r.data, 16) +
           (r.from_target ? "" : " (from another address)") + ";";
  }
  if (t.replies.size() > kDatagramsShown) got += " ...";
  lines.push_back(got);
  return lines;
}

}  // namespace

std::vector<std::string> evidence_lines(const ChannelFailure& f) {
  std::vector<std::string> lines{f.channel + ": " + f.finding + ": " + f.detail};
  std::vector<std::string> more;
  if (f.stream) more = stream_lines(*f.stream);
  if (f.datagrams) more = datagram_lines(*f.datagrams);
  for (std::string& line : more) lines.push_back("  " + std::move(line));
  return lines;
}

}  // namespace echo::conformance::explore
