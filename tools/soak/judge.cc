#include "tools/soak/judge.h"

#include <algorithm>

namespace echo::soak {
namespace {

double mean_rss(std::vector<Sample>::const_iterator first, std::size_t count) {
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i, ++first) sum += static_cast<double>(first->rss_kib);
  return count == 0 ? 0 : sum / static_cast<double>(count);
}

}  // namespace

Verdict judge(const std::vector<Sample>& samples, double warmup_s, long baseline_descriptors,
              long final_descriptors, const Tally& tally,
              std::optional<std::uint64_t> server_errors, long rss_limit_kib) {
  Verdict v;
  v.baseline_descriptors = baseline_descriptors;
  v.final_descriptors = final_descriptors;
  v.descriptors_back = final_descriptors == baseline_descriptors;
  if (!v.descriptors_back) {
    v.reasons.push_back("the server holds " + std::to_string(final_descriptors) +
                        " descriptors after the soak, " + std::to_string(baseline_descriptors) +
                        " before");
  }

  const auto after_warmup = std::find_if(samples.begin(), samples.end(),
                                         [&](const Sample& s) { return s.t >= warmup_s; });
  const auto measured = static_cast<std::size_t>(samples.end() - after_warmup);
  const std::size_t window = std::clamp<std::size_t>(measured / 5, 1, 30);
  v.rss_limit_kib = rss_limit_kib;
  if (measured == 0) {
    v.reasons.emplace_back("no sample after the warm-up");
  } else {
    v.rss_after_warmup_kib = mean_rss(after_warmup, std::min(window, measured));
    v.rss_at_end_kib = mean_rss(samples.end() - static_cast<long>(std::min(window, measured)),
                                std::min(window, measured));
    v.rss_growth_kib = v.rss_at_end_kib - v.rss_after_warmup_kib;
    v.rss_ok = v.rss_growth_kib <= static_cast<double>(rss_limit_kib);
    if (!v.rss_ok) {
      v.reasons.push_back("RSS grew by " + std::to_string(static_cast<long>(v.rss_growth_kib)) +
                          " KiB after the warm-up (limit " + std::to_string(rss_limit_kib) +
                          " KiB)");
    }
  }

  v.data_ok =
      tally.lost_bytes == 0 && tally.wrong == 0 && tally.udp_lost() == 0 && tally.failures == 0;
  if (!v.data_ok) {
    v.reasons.push_back(std::to_string(tally.lost_bytes) + " TCP bytes lost, " +
                        std::to_string(tally.udp_lost()) + " datagrams lost, " +
                        std::to_string(tally.wrong) + " wrong echoes, " +
                        std::to_string(tally.failures) + " client failures");
  }

  v.server_errors = server_errors;
  v.server_ok = !server_errors || *server_errors == 0;
  if (!v.server_ok) {
    v.reasons.push_back("the server counted " + std::to_string(*server_errors) + " errors");
  }
  v.pass = v.descriptors_back && v.rss_ok && v.data_ok && v.server_ok;
  return v;
}

}  // namespace echo::soak
