#include "conformance/cases/catalogue.h"

namespace echo::conformance {

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto group : {tcp_content_cases, tcp_timing_cases, tcp_segmentation_cases, tcp_flow_cases,
                     tcp_close_cases, tcp_concurrency_cases, udp_content_cases, udp_datagram_cases,
                     udp_burst_cases, tcp_robustness_cases}) {
    for (Case& c : group()) all.push_back(std::move(c));
  }
  return all;
}

}  // namespace echo::conformance
