#include "conformance/cases/support/connect_times.h"

#include <cstdio>

namespace echo::conformance {
namespace {

constexpr const char* kWhy =
    "SYN retransmitted (the server's listen backlog was full, or the SYN was lost)";

std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

}  // namespace

std::string slow_connect_text(std::chrono::milliseconds took) {
  if (took < kSlowConnect) return "";
  return "connect took " + seconds_text(took) + ": " + kWhy;
}

void ConnectTimes::add(std::chrono::milliseconds took) {
  ++count_;
  if (took >= kSlowConnect) ++slow_;
  if (took <= slowest_ && slowest_number_ != 0) return;
  slowest_ = took;
  slowest_number_ = count_;
}

std::string ConnectTimes::remark() const {
  if (slow_ == 0) return "";
  std::string text = "connect " + std::to_string(slowest_number_) + " of " +
                     std::to_string(count_) + " took " + seconds_text(slowest_);
  if (slow_ > 1) {
    text += " (" + std::to_string(slow_) + " connects took over " +
            std::to_string(kSlowConnect.count()) + " ms)";
  }
  return text + ": " + kWhy;
}

std::vector<Figure> ConnectTimes::figures() const {
  if (slow_ == 0) return {};
  return {{"slowest_connect", static_cast<double>(slowest_.count()), "ms"},
          {"slow_connects", static_cast<double>(slow_), "count"}};
}

}  // namespace echo::conformance
