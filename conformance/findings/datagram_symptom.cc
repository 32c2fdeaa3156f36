#include "conformance/findings/datagram_symptom.h"

#include <algorithm>
#include <map>

#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

// Merged replies are looked for among this many datagrams at most.
constexpr std::size_t kMergeSearch = 1024;

std::string count(std::size_t n, const char* unit, const char* units = nullptr) {
  if (n == 1) return "1 " + std::string(unit);
  return std::to_string(n) + " " +
         (units != nullptr ? std::string(units) : unit + std::string("s"));
}

std::string key(const Bytes& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// "a datagram of 5 bytes ("hello")".
std::string datagram(const Bytes& bytes) {
  return "a datagram of " + count(bytes.size(), "byte") + " (" + quoted_text(bytes, 24) + ")";
}

bool starts_with(const Bytes& whole, const Bytes& part) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

// The sent datagram `reply` is a proper prefix of, or nullptr.
const Bytes* cut_from(const DatagramTrace& t, const Bytes& reply) {
  for (const Bytes& sent : t.sent) {
    if (reply.size() < sent.size() && starts_with(sent, reply)) return &sent;
  }
  return nullptr;
}

// How many datagrams sent back to back `reply` holds, or 0.
std::size_t merged_count(const DatagramTrace& t, const Bytes& reply) {
  const std::size_t n = std::min(t.sent.size(), kMergeSearch);
  for (std::size_t first = 0; first < n; ++first) {
    std::size_t at = 0;
    std::size_t parts = 0;
    for (std::size_t i = first; i < n && at < reply.size(); ++i) {
      const Bytes& part = t.sent[i];
      if (part.empty()) continue;
      if (part.size() > reply.size() - at ||
          !std::equal(part.begin(), part.end(), reply.begin() + static_cast<std::ptrdiff_t>(at))) {
        break;
      }
      at += part.size();
      ++parts;
      if (at == reply.size() && parts > 1) return parts;
    }
  }
  return 0;
}

// The first offset where `a` and `b` (the same size) differ.
std::size_t first_difference(const Bytes& a, const Bytes& b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin());
}

DatagramSymptom not_an_echo(const DatagramTrace& t, const Bytes& reply,
                            const std::map<std::string, std::size_t>& unanswered) {
  if (const Bytes* whole = cut_from(t, reply)) {
    return {"udp-truncated",
            datagram(*whole) + " came back as its first " + count(reply.size(), "byte")};
  }
  if (const std::size_t n = merged_count(t, reply); n > 0) {
    return {"udp-merged", count(n, "datagram") + " sent back to back came back as one reply of " +
                              count(reply.size(), "byte") + " (" + quoted_text(reply, 24) + ")"};
  }
  for (const Bytes& sent : t.sent) {
    const auto left = unanswered.find(key(sent));
    if (sent.size() != reply.size() || left == unanswered.end() || left->second == 0) continue;
    const std::size_t at = first_difference(sent, reply);
    const auto from = [at](const Bytes& b) { return std::span(b).subspan(at); };
    return {"corrupted-data", datagram(sent) +
                                  " came back with the same length but altered from "
                                  "byte " +
                                  std::to_string(at) + ": sent " + hex_excerpt(from(sent), 0, 8) +
                                  ", came back " + hex_excerpt(from(reply), 0, 8)};
  }
  return {"unsolicited-data", "a reply of " + count(reply.size(), "byte") + " (" +
                                  quoted_text(reply, 24) + ") is the echo of no datagram sent"};
}

}  // namespace

DatagramSymptom datagram_symptom(const DatagramTrace& t) {
  if (t.port_unreachable) {
    return {"udp-port-closed", "the datagrams were answered with ICMP port unreachable"};
  }
  if (t.sent.empty()) return {};
  const auto foreign = static_cast<std::size_t>(
      std::count_if(t.replies.begin(), t.replies.end(),
                    [](const DatagramTrace::Reply& r) { return !r.from_target; }));
  if (foreign > 0) {
    return {"udp-wrong-source", std::to_string(foreign) + " of " +
                                    count(t.replies.size(), "reply", "replies") +
                                    " came from another address or port than the one the "
                                    "datagrams were sent to"};
  }
  std::map<std::string, std::size_t> sent_count;
  for (const Bytes& sent : t.sent) ++sent_count[key(sent)];
  std::map<std::string, std::size_t> unanswered = sent_count;
  for (const DatagramTrace::Reply& reply : t.replies) {
    auto left = unanswered.find(key(reply.data));
    if (left != unanswered.end() && left->second > 0) {
      --left->second;
      continue;
    }
    if (left != unanswered.end()) {
      const std::size_t sent = sent_count[key(reply.data)];
      return {"udp-duplicate", datagram(reply.data) + " was sent " + count(sent, "time") +
                                   " and answered more often than that"};
    }
    return not_an_echo(t, reply.data, unanswered);
  }
  if (t.replies.empty()) {
    return {"udp-silent", "none of the " + count(t.sent.size(), "datagram") + " sent got a reply"};
  }
  const std::size_t empty_sent = sent_count.count("") > 0 ? sent_count[""] : 0;
  const std::size_t empty_unanswered = unanswered.count("") > 0 ? unanswered[""] : 0;
  if (empty_sent > 0 && empty_unanswered == empty_sent && t.replies.size() > 0) {
    return {"udp-empty-ignored", "the " + count(empty_sent, "empty datagram") +
                                     " got no reply, while " + count(t.replies.size(), "datagram") +
                                     " with data did"};
  }
  return {};
}

}  // namespace echo::conformance
