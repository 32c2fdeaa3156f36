#include "conformance/cases/catalogue.h"

namespace echo::conformance {

const std::vector<Case>& catalogue() {
  static const std::vector<Case> all = [] {
    std::vector<Case> cases;
    for (auto group : {tcp_content_cases, tcp_timing_cases, tcp_segmentation_cases,
                       tcp_flow_cases, tcp_close_cases, tcp_concurrency_cases, udp_content_cases,
                       udp_datagram_cases, udp_burst_cases, tcp_robustness_cases}) {
      for (Case& c : group()) cases.push_back(std::move(c));
    }
    return cases;
  }();
  return all;
}

}  // namespace echo::conformance
