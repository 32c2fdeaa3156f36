// What the soak watches in the server: resident memory, open descriptors and
// CPU time, read from /proc for the server's process and every descendant
// (the fork model's children count too). The parsers are pure; sample_tree()
// does the reading.
//
// Example:
//   std::optional<ProcessStats> now = sample_tree(server_pid);
//   if (now) std::cout << now->rss_kib << " KiB, " << now->descriptors << " descriptors\n";
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

namespace echo::soak {

struct ProcessStats {
  long rss_kib = 0;        // VmRSS, summed over the tree
  long descriptors = 0;    // entries of /proc/PID/fd, summed
  double cpu_seconds = 0;  // user + system, including reaped children (cutime, cstime)
  int processes = 0;
};

// "VmRSS:     5432 kB" out of /proc/PID/status.
[[nodiscard]] std::optional<long> parse_vm_rss_kib(std::string_view status);
// utime + stime + cutime + cstime (fields 14-17) out of /proc/PID/stat, in
// seconds; the command name (field 2) may hold spaces and parentheses.
[[nodiscard]] std::optional<double> parse_cpu_seconds(std::string_view stat, long ticks_per_second);
// The process ids in /proc/PID/task/*/children.
[[nodiscard]] std::vector<pid_t> children_of(pid_t pid);
// The whole tree under `pid` (itself included); nullopt if `pid` is gone.
[[nodiscard]] std::optional<ProcessStats> sample_tree(pid_t pid);

}  // namespace echo::soak
