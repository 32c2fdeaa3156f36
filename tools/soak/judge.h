// The soak's pass criteria, decided from what was measured (no I/O):
//   descriptors  the server's open descriptors are back to the baseline
//                taken before the first client connected;
//   memory       RSS growth after the warm-up is within the limit (1 MiB): the
//                mean of the last samples under load minus the mean of the first
//                samples after the warm-up (each a fifth of those samples, at
//                most 30), so one transient buffer is not taken for a leak;
//   data         no byte or datagram lost or wrong, no client failure;
//   server       no errors in the server's exit counters (when it was started
//                by the soak and printed them).
//
// Example:
//   Verdict v = judge(samples, options.warmup_s, baseline, final, tally, errors, 1024);
//   return v.pass ? kExitPass : kExitFail;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/soak/clients.h"

namespace echo::soak {

struct Sample {
  double t = 0;  // seconds since the load started
  long rss_kib = 0;
  long descriptors = 0;
  double cpu_percent = 0;  // of one core, over the interval before the sample
  std::uint64_t churn_cycles = 0, tcp_bytes = 0, udp_echoed = 0;  // cumulative
};

struct Verdict {
  long baseline_descriptors = 0, final_descriptors = 0;
  bool descriptors_back = false;
  double rss_after_warmup_kib = 0, rss_at_end_kib = 0, rss_growth_kib = 0;
  long rss_limit_kib = 0;
  bool rss_ok = false;
  bool data_ok = false;
  std::optional<std::uint64_t> server_errors;
  bool server_ok = false;
  bool pass = false;
  std::vector<std::string> reasons;  // one line per failed criterion
};

[[nodiscard]] Verdict judge(const std::vector<Sample>& samples, double warmup_s,
                            long baseline_descriptors, long final_descriptors, const Tally& tally,
                            std::optional<std::uint64_t> server_errors, long rss_limit_kib);

}  // namespace echo::soak
