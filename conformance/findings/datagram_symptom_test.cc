#include "conformance/findings/datagram_symptom.h"

#include <gtest/gtest.h>

#include <string>

namespace echo::conformance {
namespace {

Bytes bytes_of(const std::string& text) {
  const auto* data = reinterpret_cast<const std::byte*>(text.data());
  return Bytes(data, data + text.size());
}

DatagramTrace trace(const std::vector<std::string>& sent, const std::vector<std::string>& replies,
                    bool from_target = true) {
  DatagramTrace t;
  for (const std::string& s : sent) t.sent.push_back(bytes_of(s));
  for (const std::string& r : replies) t.replies.push_back({bytes_of(r), from_target});
  return t;
}

TEST(DatagramSymptom, OneIdenticalReplyPerDatagramHasNone) {
  EXPECT_EQ(datagram_symptom(trace({"a", "", "bc"}, {"bc", "a", ""})).kind, "");
  EXPECT_EQ(datagram_symptom(trace({}, {})).kind, "");
}

TEST(DatagramSymptom, ALostReplyAmongAnsweredOnesIsNone) {
  EXPECT_EQ(datagram_symptom(trace({"a", "b", "c"}, {"a", "c"})).kind, "");
}

TEST(DatagramSymptom, RepliesFromElsewhereComeFirst) {
  const DatagramSymptom s = datagram_symptom(trace({"a"}, {"a"}, false));
  EXPECT_EQ(s.kind, "udp-wrong-source");
  EXPECT_EQ(s.detail,
            "1 of 1 reply came from another address or port than the one the datagrams "
            "were sent to");
}

TEST(DatagramSymptom, Truncated) {
  const std::string big(2048, 'x');
  const DatagramSymptom s = datagram_symptom(trace({big}, {big.substr(0, 1024)}));
  EXPECT_EQ(s.kind, "udp-truncated");
  EXPECT_NE(s.detail.find("a datagram of 2048 bytes"), std::string::npos) << s.detail;
  EXPECT_NE(s.detail.find("came back as its first 1024 bytes"), std::string::npos) << s.detail;
}

TEST(DatagramSymptom, Merged) {
  const DatagramSymptom s = datagram_symptom(trace({"ab", "", "cd", "ef"}, {"abcd"}));
  EXPECT_EQ(s.kind, "udp-merged");
  EXPECT_EQ(s.detail.substr(0, 63),
            "2 datagrams sent back to back came back as one reply of 4 bytes");
}

TEST(DatagramSymptom, DuplicateCountsCopiesSent) {
  EXPECT_EQ(datagram_symptom(trace({"a", "a"}, {"a", "a"})).kind, "");
  const DatagramSymptom s = datagram_symptom(trace({"a", "a"}, {"a", "a", "a"}));
  EXPECT_EQ(s.kind, "udp-duplicate");
  EXPECT_NE(s.detail.find("was sent 2 times"), std::string::npos) << s.detail;
}

TEST(DatagramSymptom, AlteredOrUnknownReplies) {
  const DatagramSymptom altered = datagram_symptom(trace({"abcdef"}, {"abXdef"}));
  EXPECT_EQ(altered.kind, "corrupted-data");
  EXPECT_NE(altered.detail.find("from byte 2"), std::string::npos) << altered.detail;
  EXPECT_EQ(datagram_symptom(trace({"abc"}, {"hello there"})).kind, "unsolicited-data");
}

TEST(DatagramSymptom, SilenceAndIgnoredEmptyDatagrams) {
  EXPECT_EQ(datagram_symptom(trace({"a", "b"}, {})).kind, "udp-silent");
  EXPECT_EQ(datagram_symptom(trace({""}, {})).kind, "udp-silent");
  const DatagramSymptom s = datagram_symptom(trace({"a", "", ""}, {"a"}));
  EXPECT_EQ(s.kind, "udp-empty-ignored");
  EXPECT_EQ(s.detail, "the 2 empty datagrams got no reply, while 1 datagram with data did");
  EXPECT_EQ(datagram_symptom(trace({"a", "", ""}, {"a", ""})).kind, "");
}

TEST(DatagramSymptom, PortClosed) {
  DatagramTrace t = trace({"a"}, {});
  t.port_unreachable = true;
  EXPECT_EQ(datagram_symptom(t).kind, "udp-port-closed");
}

}  // namespace
}  // namespace echo::conformance
