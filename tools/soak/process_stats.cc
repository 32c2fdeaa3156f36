#include "tools/soak/process_stats.h"

#include <dirent.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace echo::soak {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

long count_entries(const std::string& directory) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return 0;
  long count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

}  // namespace

std::optional<long> parse_vm_rss_kib(std::string_view status) {
  const std::size_t at = status.find("VmRSS:");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + 6;
  while (i < status.size() && (status[i] == ' ' || status[i] == '\t')) ++i;
  long kib = 0;
  const auto [end, error] = std::from_chars(status.data() + i, status.data() + status.size(), kib);
  if (error != std::errc() || end == status.data() + i) return std::nullopt;
  return kib;
}

std::optional<double> parse_cpu_seconds(std::string_view stat, long ticks_per_second) {
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  // After ")": field 3 (state) onwards; utime is field 14, i.e. the 12th from here.
  std::istringstream fields{std::string(stat.substr(name_end + 1))};
  std::string field;
  for (int i = 3; i < 14 && (fields >> field); ++i) {
  }
  long long ticks[4] = {};
  for (long long& t : ticks) {
    if (!(fields >> t)) return std::nullopt;
  }
  return static_cast<double>(ticks[0] + ticks[1] + ticks[2] + ticks[3]) /
         static_cast<double>(ticks_per_second);
}

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> children;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = ::opendir(tasks.c_str());
  if (dir == nullptr) return children;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream file(tasks + "/" + entry->d_name + "/children");
    for (pid_t child; file >> child;) children.push_back(child);
  }
  ::closedir(dir);
  return children;
}

std::optional<ProcessStats> sample_tree(pid_t pid) {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  const std::string base = "/proc/" + std::to_string(pid);
  const std::optional<std::string> status = read_file(base + "/status");
  const std::optional<std::string> stat = read_file(base + "/stat");
  if (!status || !stat) return std::nullopt;
  ProcessStats stats;
  stats.processes = 1;
  stats.rss_kib = parse_vm_rss_kib(*status).value_or(0);
  stats.cpu_seconds = parse_cpu_seconds(*stat, ticks).value_or(0);
  stats.descriptors = count_entries(base + "/fd");
  for (pid_t child : children_of(pid)) {
    if (std::optional<ProcessStats> sub = sample_tree(child)) {
      stats.rss_kib += sub->rss_kib;
      stats.descriptors += sub->descriptors;
      stats.cpu_seconds += sub->cpu_seconds;
      stats.processes += sub->processes;
    }
  }
  return stats;
}

}  // namespace echo::soak
