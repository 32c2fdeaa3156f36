#include "conformance/explore/script.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <string>

#include "conformance/oracle/payload.h"

namespace echo::conformance::explore {
namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  return a > kSaturated - b ? kSaturated : a + b;
}

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) noexcept {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}

const char* kind_name(Step::Kind kind) noexcept {
  switch (kind) {
    case Step::Kind::kConnect:
      return "connect";
    case Step::Kind::kSocket:
      return "socket";
    case Step::Kind::kSend:
      return "send";
    case Step::Kind::kBurst:
      return "burst";
    case Step::Kind::kPause:
      return "pause";
    case Step::Kind::kHold:
      return "hold";
    case Step::Kind::kTrickle:
      return "trickle";
    case Step::Kind::kShutdown:
      return "shutdown";
    case Step::Kind::kClose:
      return "close";
    case Step::Kind::kReset:
      return "reset";
  }
  return "?";
}

bool tcp_only_step(Step::Kind kind) noexcept {
  return kind == Step::Kind::kHold || kind == Step::Kind::kTrickle ||
         kind == Step::Kind::kShutdown || kind == Step::Kind::kClose || kind == Step::Kind::kReset;
}

// What validate() knows of a channel while walking the steps.
struct ChannelState {
  std::string name;  // "c1", "u2": as the text format names it
  bool tcp = true;
  bool shut_down = false;
  bool closed = false;
};

Error describe_step_error(std::size_t index, const Step& step, const std::string& channel,
                          const std::string& what) {
  std::string name = kind_name(step.kind);
  if (!channel.empty()) name += " " + channel;
  return Error{"step " + std::to_string(index + 1) + " (" + name + "): " + what};
}

Status check_payload(const Payload& payload) {
  for (const Piece& piece : payload.pieces) {
    if (piece.kind == Piece::Kind::kText && piece.repeat == 0) {
      return Error{"a repeated piece needs a count of at least 1"};
    }
    if (piece.kind == Piece::Kind::kRandom && piece.length == 0) {
      return Error{"random() needs a length of at least 1"};
    }
    if (piece.kind == Piece::Kind::kRandom && piece.offset > kMaxRandomOffset) {
      return Error{"random() starts at most " + std::to_string(kMaxRandomOffset) +
                   " bytes into its stream"};
    }
    if (piece.kind == Piece::Kind::kText && piece.text.empty()) {
      return Error{"an empty string is no piece (\"\" alone is the empty payload)"};
    }
    if (piece.size() > kMaxScriptBytes) {
      return Error{"a piece of " + std::to_string(piece.size()) + " bytes is over the " +
                   std::to_string(kMaxScriptBytes) + "-byte limit of a script"};
    }
  }
  return {};
}

Status check_step(const Step& step, const ChannelState& channel) {
  using K = Step::Kind;
  if (channel.closed) return Error{"the channel was already closed or reset"};
  if (tcp_only_step(step.kind) && !channel.tcp) return Error{"only TCP connections take this step"};
  if (step.kind == K::kBurst && channel.tcp) return Error{"only UDP sockets take bursts"};
  if (step.kind == K::kSend && channel.shut_down) {
    return Error{"nothing can be sent after shutdown"};
  }
  if (step.kind == K::kSend || step.kind == K::kBurst) {
    if (Status ok = check_payload(step.payload); !ok) return ok;
    if (!channel.tcp && step.payload.size() > kMaxDatagram) {
      return Error{"a datagram holds at most " + std::to_string(kMaxDatagram) + " bytes, not " +
                   std::to_string(step.payload.size())};
    }
  }
  if (step.kind == K::kBurst && (step.count < 1 || step.count > kMaxBurst)) {
    return Error{"a burst sends 1-" + std::to_string(kMaxBurst) + " datagrams"};
  }
  if (step.kind == K::kTrickle && (step.count < 1 || step.count > kMaxTrickle)) {
    return Error{"trickle reads 1-" + std::to_string(kMaxTrickle) + " bytes a millisecond"};
  }
  return {};
}

// Bytes offset .. offset + into.size() - 1 of `unit` repeated: one memset
// for a run of one byte; otherwise one period is written, then copied onto
// the rest in doubling blocks (a long repeat costs a few memcpy calls).
void fill_repeated(const Bytes& unit, std::uint64_t offset, std::span<std::byte> into) noexcept {
  if (unit.size() == 1) {
    std::memset(into.data(), std::to_integer<int>(unit[0]), into.size());
    return;
  }
  const std::size_t period = unit.size();
  const auto at = static_cast<std::size_t>(offset % period);
  std::size_t done = std::min(period - at, into.size());
  std::memcpy(into.data(), unit.data() + at, done);
  if (done < into.size() && at > 0) {
    const std::size_t take = std::min(at, into.size() - done);
    std::memcpy(into.data() + done, unit.data(), take);
    done += take;
  }
  // into[0, done) now holds a whole period (or all of into): into[i] = into[i - period].
  while (done < into.size()) {
    const std::size_t take = std::min(done - done % period, into.size() - done);
    std::memcpy(into.data() + done, into.data(), take);
    done += take;
  }
}

}  // namespace

Piece Piece::literal(std::string_view bytes, std::uint64_t repeat) {
  Piece piece;
  piece.kind = Kind::kText;
  const auto view = std::as_bytes(std::span(bytes.data(), bytes.size()));
  piece.text.assign(view.begin(), view.end());
  piece.repeat = repeat;
  return piece;
}

Piece Piece::random(std::uint64_t seed, std::uint64_t length, std::uint64_t offset) {
  Piece piece;
  piece.kind = Kind::kRandom;
  piece.seed = seed;
  piece.length = length;
  piece.offset = offset;
  return piece;
}

std::uint64_t Piece::size() const noexcept {
  if (kind == Kind::kRandom) return length;
  return saturating_multiply(text.size(), repeat);
}

Payload Payload::text(std::string_view bytes) {
  Payload payload;
  if (!bytes.empty()) payload.pieces.push_back(Piece::literal(bytes));
  return payload;
}

std::uint64_t Payload::size() const noexcept {
  std::uint64_t total = 0;
  for (const Piece& piece : pieces) total = saturating_add(total, piece.size());
  return total;
}

void Payload::fill(std::uint64_t offset, std::span<std::byte> into) const noexcept {
  for (const Piece& piece : pieces) {
    if (into.empty()) return;
    const std::uint64_t size = piece.size();
    if (offset >= size) {
      offset -= size;
      continue;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size - offset, into.size()));
    if (piece.kind == Piece::Kind::kRandom) {
      PayloadStream(piece.seed, 0).fill(piece.offset + offset, into.first(n));
    } else {
      fill_repeated(piece.text, offset, into.first(n));
    }
    into = into.subspan(n);
    offset = 0;
  }
}

Bytes Payload::bytes() const {
  Bytes out(static_cast<std::size_t>(size()));
  fill(0, out);
  return out;
}

Step Step::connect(ChannelId channel) {
  Step s;
  s.kind = Kind::kConnect;
  s.channel = channel;
  return s;
}

Step Step::socket(ChannelId channel) {
  Step s;
  s.kind = Kind::kSocket;
  s.channel = channel;
  return s;
}

Step Step::send(ChannelId channel, Payload payload) {
  Step s;
  s.kind = Kind::kSend;
  s.channel = channel;
  s.payload = std::move(payload);
  return s;
}

Step Step::burst(ChannelId channel, std::uint32_t count, Payload payload) {
  Step s = send(channel, std::move(payload));
  s.kind = Kind::kBurst;
  s.count = count;
  return s;
}

Step Step::pause(std::chrono::milliseconds duration) {
  Step s;
  s.kind = Kind::kPause;
  s.duration = duration;
  return s;
}

Step Step::hold(ChannelId channel, std::chrono::milliseconds duration) {
  Step s;
  s.kind = Kind::kHold;
  s.channel = channel;
  s.duration = duration;
  return s;
}

Step Step::trickle(ChannelId channel, std::uint32_t bytes_per_ms,
                   std::chrono::milliseconds duration) {
  Step s = hold(channel, duration);
  s.kind = Kind::kTrickle;
  s.count = bytes_per_ms;
  return s;
}

Step Step::shutdown(ChannelId channel) {
  Step s;
  s.kind = Kind::kShutdown;
  s.channel = channel;
  return s;
}

Step Step::close(ChannelId channel) {
  Step s = shutdown(channel);
  s.kind = Kind::kClose;
  return s;
}

Step Step::reset(ChannelId channel) {
  Step s = shutdown(channel);
  s.kind = Kind::kReset;
  return s;
}

std::uint64_t Step::bytes() const noexcept {
  if (kind == Kind::kSend) return payload.size();
  if (kind == Kind::kBurst) return saturating_multiply(payload.size(), count);
  return 0;
}

std::size_t Script::channel_count() const noexcept {
  std::size_t count = 0;
  for (const Step& step : steps) {
    if (step.opens_channel()) ++count;
  }
  return count;
}

std::uint64_t Script::bytes() const noexcept {
  std::uint64_t total = 0;
  for (const Step& step : steps) total = saturating_add(total, step.bytes());
  return total;
}

bool is_tcp(Step::Kind opening) noexcept { return opening == Step::Kind::kConnect; }

Status validate(const Script& script, std::size_t* failing_step) {
  const auto step_error = [failing_step](std::size_t index, const Step& step,
                                         const std::string& channel, const std::string& what) {
    if (failing_step != nullptr) *failing_step = index;
    return describe_step_error(index, step, channel, what);
  };
  if (script.steps.size() > kMaxSteps) {
    if (failing_step != nullptr) *failing_step = kMaxSteps;
    return Error{"a script has at most " + std::to_string(kMaxSteps) + " steps, not " +
                 std::to_string(script.steps.size())};
  }
  std::map<ChannelId, ChannelState> channels;
  std::size_t tcp_count = 0;
  std::size_t udp_count = 0;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < script.steps.size(); ++i) {
    const Step& step = script.steps[i];
    if (step.kind == Step::Kind::kPause || step.kind == Step::Kind::kHold ||
        step.kind == Step::Kind::kTrickle) {
      if (step.duration.count() < 1 || step.duration > kMaxPause) {
        return step_error(i, step, "",
                          "a duration is 1-" + std::to_string(kMaxPause.count()) + " ms");
      }
    }
    if (!step.uses_channel()) continue;
    auto found = channels.find(step.channel);
    if (step.opens_channel()) {
      const bool tcp = is_tcp(step.kind);
      const std::string name =
          tcp ? "c" + std::to_string(tcp_count + 1) : "u" + std::to_string(udp_count + 1);
      if (found != channels.end()) {
        return step_error(i, step, found->second.name, "the channel is already open");
      }
      if (channels.size() == kMaxChannels) {
        return step_error(i, step, name,
                          "a script opens at most " + std::to_string(kMaxChannels) + " channels");
      }
      (tcp ? tcp_count : udp_count) += 1;
      channels[step.channel] = ChannelState{name, tcp};
      continue;
    }
    if (found == channels.end()) {
      return step_error(i, step, "#" + std::to_string(step.channel), "the channel is not open yet");
    }
    const std::string& name = found->second.name;
    if (Status ok = check_step(step, found->second); !ok) {
      return step_error(i, step, name, ok.error().message);
    }
    total = saturating_add(total, step.bytes());
    if (total > kMaxScriptBytes) {
      return step_error(i, step, name,
                        "the script sends more than " + std::to_string(kMaxScriptBytes) + " bytes");
    }
    if (step.kind == Step::Kind::kShutdown) found->second.shut_down = true;
    if (step.kind == Step::Kind::kClose || step.kind == Step::Kind::kReset) {
      found->second.closed = true;
    }
  }
  return {};
}

Script canonical(Script script) {
  std::map<ChannelId, ChannelId> renumbered;
  for (Step& step : script.steps) {
    if (!step.uses_channel()) {
      step.channel = 0;
      continue;
    }
    auto [it, added] = renumbered.emplace(step.channel, static_cast<ChannelId>(renumbered.size()));
    step.channel = it->second;
  }
  return script;
}

std::vector<std::string> channel_names(const Script& script) {
  std::vector<std::string> names;
  std::size_t tcp = 0;
  std::size_t udp = 0;
  for (const Step& step : script.steps) {
    if (!step.opens_channel()) continue;
    if (names.size() <= step.channel) names.resize(step.channel + 1);
    if (!names[step.channel].empty()) continue;
    names[step.channel] =
        is_tcp(step.kind) ? "c" + std::to_string(++tcp) : "u" + std::to_string(++udp);
  }
  return names;
}

Script without_channel(const Script& script, ChannelId channel) {
  Script out;
  for (const Step& step : script.steps) {
    if (step.uses_channel() && step.channel == channel) continue;
    out.steps.push_back(step);
  }
  return canonical(std::move(out));
}

}  // namespace echo::conformance::explore
