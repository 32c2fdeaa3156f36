// The reports of a fuzzing run: JSON (the schema is docs/fuzz-report-schema.md)
// and one self-contained HTML page, both pure functions of the run's
// description and its CampaignResult. Every byte a server sent goes through
// report/escape.h first, so a hostile server cannot break either format.
//
// Example:
//   FuzzRun run{.target = "127.0.0.1:7007", .seed = 1, ...};
//   std::string json = render_fuzz_json(run, result);
//   std::string html = render_fuzz_html(run, result);
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "conformance/explore/campaign.h"

namespace echo::conformance::explore {

inline constexpr int kFuzzJsonFormatVersion = 1;

// What the run was asked to do.
struct FuzzRun {
  std::string target;     // as named: "127.0.0.1:7007", or the --spawn command's address
  std::string reference;  // --differential: the reference's address; empty otherwise
  std::string spawn;      // --spawn's command; empty when the fuzzer did not start the server
  std::uint64_t seed = 0;
  std::string started_at;  // ISO 8601 UTC
  std::chrono::milliseconds duration{0};
  unsigned jobs = 1;
  bool tcp = true;
  bool udp = true;
};

[[nodiscard]] std::string render_fuzz_json(const FuzzRun& run, const CampaignResult& result);
[[nodiscard]] std::string render_fuzz_html(const FuzzRun& run, const CampaignResult& result);

}  // namespace echo::conformance::explore
