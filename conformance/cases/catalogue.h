// The case catalogue, group by group, in the stable order of the reports:
// TCP content, timing, segmentation, flow control, close, concurrency, then
// UDP, and the robustness cases. (The runner schedules by each case's
// Schedule: the hazardous ones run last whatever their place here.)
#pragma once

#include <vector>

#include "conformance/model/case.h"

namespace echo::conformance {

// The whole catalogue, built once.
[[nodiscard]] const std::vector<Case>& catalogue();

// One function per group file (tcp_content.cc, ...).
[[nodiscard]] std::vector<Case> tcp_content_cases();
[[nodiscard]] std::vector<Case> tcp_timing_cases();
[[nodiscard]] std::vector<Case> tcp_segmentation_cases();
[[nodiscard]] std::vector<Case> tcp_flow_cases();
[[nodiscard]] std::vector<Case> tcp_close_cases();
[[nodiscard]] std::vector<Case> tcp_concurrency_cases();
[[nodiscard]] std::vector<Case> udp_content_cases();
[[nodiscard]] std::vector<Case> udp_datagram_cases();
[[nodiscard]] std::vector<Case> udp_burst_cases();
[[nodiscard]] std::vector<Case> tcp_robustness_cases();

// Requirement texts quoted by several cases.
inline constexpr const char* kRfc862Tcp =
    "\"A server listens for TCP connections on TCP port 7. Once a connection is established any "
    "data received is sent back. This continues until the calling user terminates the "
    "connection.\"";
inline constexpr const char* kRfc862Udp =
    "\"A server listens for UDP datagrams on UDP port 7. When a datagram is received, the data "
    "from it is sent back in an answering datagram.\"";
inline constexpr const char* kMeasurement =
    "None: a measurement reported for comparison; RFC 862 sets no performance requirement.";
inline constexpr const char* kRfc9293HalfClose =
    "RFC 862: data received is sent back; \"This continues until the calling user terminates "
    "the connection.\" RFC 9293 §3.6 (closing a connection), paraphrased: a side that has "
    "closed for sending may continue to receive until the other side has closed too.";

}  // namespace echo::conformance
