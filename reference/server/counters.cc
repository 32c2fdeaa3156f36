#include "reference/server/counters.h"

#include <sys/mman.h>

#include <cerrno>
#include <charconv>
#include <new>
#include <utility>

namespace echo::server {

Result<SharedCounters> SharedCounters::create() {
  void* memory =
      ::mmap(nullptr, sizeof(Counters), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return system_error("mmap for the shared counters", errno);
  return SharedCounters(new (memory) Counters());
}

SharedCounters::SharedCounters(SharedCounters&& other) noexcept
    : counters_(std::exchange(other.counters_, nullptr)) {}

SharedCounters::~SharedCounters() {
  if (counters_ == nullptr) return;
  counters_->~Counters();
  ::munmap(counters_, sizeof(Counters));
}

std::string format_counters(const Counters& c) {
  auto field = [](const char* name, const std::atomic<std::uint64_t>& value) {
    return std::string(" ") + name + "=" + std::to_string(value.load(std::memory_order_relaxed));
  };
  return "counters:" + field("connections_accepted", c.connections_accepted) +
         field("bytes_in", c.bytes_in) + field("bytes_out", c.bytes_out) +
         field("datagrams_in", c.datagrams_in) + field("datagrams_out", c.datagrams_out) +
         field("datagrams_dropped", c.datagrams_dropped) +
         field("datagrams_refused_own_port", c.datagrams_refused_own_port) +
         field("datagrams_refused_service_port", c.datagrams_refused_service_port) +
         field("datagrams_refused_port_zero", c.datagrams_refused_port_zero) +
         field("datagrams_refused_not_unicast", c.datagrams_refused_not_unicast) +
         field("datagrams_refused_loop", c.datagrams_refused_loop) +
         field("datagrams_rate_limited", c.datagrams_rate_limited) +
         field("connections_refused_per_address", c.connections_refused_per_address) +
         field("resets", c.resets) + field("errors", c.errors);
}

std::map<std::string, std::uint64_t> parse_counters(std::string_view log) {
  constexpr std::string_view kHead = "counters:";
  std::map<std::string, std::uint64_t> counters;
  const std::size_t at = log.rfind(kHead);
  if (at == std::string_view::npos) return counters;
  std::string_view rest = log.substr(at + kHead.size());
  rest = rest.substr(0, rest.find('\n'));
  while (!rest.empty()) {
    const std::size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const std::string_view field = rest.substr(0, rest.find(' '));
    rest.remove_prefix(field.size());
    const std::size_t equals = field.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view digits = field.substr(equals + 1);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) continue;
    counters[std::string(field.substr(0, equals))] = value;
  }
  return counters;
}

}  // namespace echo::server
