#include "core/process/listening_line.h"

#include <array>
#include <chrono>
#include <deque>
#include <utility>

#include "core/address/parse.h"
#include "core/net/io.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPrefix = "listening ";
constexpr std::size_t kLinesShown = 5;         // the last lines a failure quotes
constexpr std::size_t kLineLengthShown = 200;  // and at most this much of each
constexpr std::size_t kStderrRead = 64 * 1024;
// After the output ends the child is usually exiting: how long to wait for its
// exit status (never past the caller's deadline).
constexpr auto kExitGrace = 1s;

std::string quoted(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() <= kLineLengthShown) return "'" + std::string(line) + "'";
  return "'" + std::string(line.substr(0, kLineLengthShown)) + "...'";
}

// "a tcp and a udp listening line", "2 more udp listening lines", ...
std::string missing_lines(const Listening& got, ListeningWanted wanted) {
  std::vector<std::string> parts;
  bool plural = false;
  const auto describe = [&](std::size_t want, std::size_t have, const char* name) {
    if (have >= want) return;
    const std::size_t more = want - have;
    plural = plural || more > 1;
    if (more == 1 && have == 0) {
      parts.push_back(std::string("a ") + name);
    } else {
      parts.push_back(std::to_string(more) + (have == 0 ? " " : " more ") + name);
    }
  };
  describe(wanted.tcp, got.tcp.size(), "tcp");
  describe(wanted.udp, got.udp.size(), "udp");
  std::string text = parts.at(0);
  if (parts.size() == 2) text += " and " + parts[1];
  return text + (plural ? " listening lines" : " listening line");
}

// Whatever non-blocking `fd` holds now (up to kStderrRead bytes).
std::string read_available(int fd) {
  std::string text;
  std::array<std::byte, 4096> chunk;
  while (text.size() < kStderrRead) {
    Transfer t = read_fd(fd, chunk);
    if (t.kind != Transfer::Kind::kDone) break;
    text.append(reinterpret_cast<const char*>(chunk.data()), t.bytes);
  }
  return text;
}

// The last non-empty line of `text` ("" if none).
std::string_view last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const std::size_t newline = text.find_last_of('\n');
  return newline == std::string_view::npos ? text : text.substr(newline + 1);
}

// "it exited with status 3", or that it is still running. Reaps the child if it has exited.
std::string exit_state(ChildProcess& child, bool output_ended, Deadline deadline) {
  const Deadline until = output_ended ? deadline.min(Deadline::after(kExitGrace))
                                      : Deadline::after(Deadline::Clock::duration::zero());
  Result<int> status = child.wait(until);
  if (status) return "it exited with status " + std::to_string(*status);
  return output_ended ? "it closed its output but is still running" : "it is still running";
}

// What wait_for_listening() has seen so far.
struct Progress {
  std::string child;  // "program (pid 123)"
  Deadline::Clock::time_point started;
  Listening got;
  std::deque<std::string> other_lines;  // the last kLinesShown lines that were not wanted, quoted
  std::size_t other_count = 0;
};

// The one error of a failed wait: the lines missing, then what the child did.
Error failure(ChildProcess& child, Deadline deadline, ListeningWanted wanted,
              const Progress& progress, const Error& cause) {
  const bool timed_out = cause.code == std::errc::timed_out;
  const bool output_ended = cause.code == std::errc::broken_pipe;
  const std::string missing = missing_lines(progress.got, wanted);
  std::string message = progress.child;
  if (timed_out) {
    const auto waited =
        std::chrono::round<std::chrono::milliseconds>(deadline.when() - progress.started);
    message += " did not announce " + missing + " within " + std::to_string(waited.count()) + " ms";
  } else if (output_ended) {
    message += " ended its output without announcing " + missing;
  } else {
    message += " could not be read while waiting for " + missing + " (" + cause.message + ")";
  }
  message += ": " + exit_state(child, output_ended, deadline);
  if (progress.other_count == 0) {
    const bool announced_some = !progress.got.tcp.empty() || !progress.got.udp.empty();
    message += announced_some ? "; it printed no other line" : "; it printed nothing";
  } else {
    message += "; it printed " + std::to_string(progress.other_count) +
               (progress.other_count == 1 ? " other line: " : " other lines, the last: ");
    for (std::size_t i = 0; i < progress.other_lines.size(); ++i) {
      message += (i == 0 ? "" : " | ") + progress.other_lines[i];
    }
  }
  if (child.stderr_fd() >= 0) {
    const std::string err = read_available(child.stderr_fd());
    const std::string_view last = last_line(err);
    if (!last.empty()) message += "; its standard error ends: " + quoted(last);
  }
  return Error{std::move(message), cause.code};
}

}  // namespace

std::string format_listening_line(Transport transport, const Endpoint& bound) {
  std::string line(kPrefix);
  line += to_string(transport);
  line += ' ';
  line += bound.to_string();
  return line;
}

std::optional<ListeningLine> parse_listening_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.starts_with(kPrefix)) return std::nullopt;
  line.remove_prefix(kPrefix.size());

  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::optional<Transport> transport = parse_transport(line.substr(0, space));
  if (!transport) return std::nullopt;

  // A bound socket has a real port: port 0 is never announced.
  Result<Endpoint> endpoint =
      parse_endpoint(line.substr(space + 1), std::nullopt, PortRule::kNonZero);
  if (!endpoint) return std::nullopt;
  return ListeningLine{*transport, *endpoint};
}

Result<Listening> wait_for_listening(ChildProcess& child, Deadline deadline,
                                     ListeningWanted wanted) {
  Progress progress;
  progress.child = child.describe();  // before a wait() reaps it
  progress.started = Deadline::Clock::now();
  Listening& got = progress.got;
  while (got.tcp.size() < wanted.tcp || got.udp.size() < wanted.udp) {
    Result<std::string> line = child.read_line(deadline);
    if (!line) return failure(child, deadline, wanted, progress, line.error());
    if (std::optional<ListeningLine> parsed = parse_listening_line(*line)) {
      (parsed->transport == Transport::kTcp ? got.tcp : got.udp).push_back(parsed->endpoint);
      continue;
    }
    ++progress.other_count;
    progress.other_lines.push_back(quoted(*line));
    if (progress.other_lines.size() > kLinesShown) progress.other_lines.pop_front();
    // read_line() returns lines already read whatever the deadline: a child
    // printing other lines without end must not keep us past it.
    if (deadline.expired()) {
      return failure(child, deadline, wanted, progress,
                     Error{"", std::make_error_code(std::errc::timed_out)});
    }
  }
  return got;
}

}  // namespace echo
