#include "conformance/explore/generate.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;

// Bytes and sequences that servers treating data as text, lines or terminal
// input get wrong.
constexpr std::array<std::string_view, 28> kTokens{
    std::string_view("\0", 1),
    "\r",
    "\n",
    "\r\n",
    "\n\r",
    "\r\n\r\n",
    "\x80",
    "\xff",
    "\xc3\xa9",              // é in UTF-8
    "\xef\xbb\xbf",          // a UTF-8 byte order mark
    "\xed\xa0\x80",          // a UTF-16 surrogate in UTF-8: invalid
    "\xc0\x80",              // an overlong NUL
    "\xff\xf4\xff\xfd\x06",  // telnet IAC IP, IAC DO TIMING-MARK
    "\x1a",                  // ctrl-Z: end of file on some systems
    "\x04",                  // ctrl-D
    "\x03",                  // ctrl-C
    "\x1b[2J",               // a terminal escape
    "%s%s%n",                // printf formats
    "%x%x%x",
    "\x7f",
    "\b",
    "\t",
    ".\r\n",  // end of an SMTP message
    "+++",    // modem escape
    std::string_view("\0\0\0\0", 4),
    "\\",
    "'\"",
    "\xfe\xff",
};

constexpr std::array<std::string_view, 12> kWords{
    "echo", "hello", "world", "GET / HTTP/1.1", "Host: x", "QUIT",
    "the",  "quick", "fox",   "0123456789",     "ping",    "data"};

constexpr std::array<char, 8> kRunBytes{'\0', '\n', '\r', 'A', '\xff', '\x80', ' ', '\x1a'};

// Sizes around common buffer, segment and datagram limits.
constexpr std::array<std::uint64_t, 18> kEdgeSizes{255,  256,  257,  511,   512,   513,
                                                   1023, 1024, 1025, 1460,  1472,  4095,
                                                   4096, 4097, 8192, 16384, 65535, 65536};

// The most bytes a generated script sends over TCP.
constexpr std::uint64_t kScriptBudget = 16ull << 20;

std::uint64_t small_seed(Rng& rng) { return rng.between(1, 999'999); }

bool chance(Rng& rng, unsigned percent) { return rng.between(0, 99) < percent; }

Piece token(Rng& rng) { return Piece::literal(kTokens[rng.between(0, kTokens.size() - 1)]); }

// Printable text in words and lines, exactly `size` bytes.
Payload text_payload(Rng& rng, std::uint64_t size) {
  std::string text;
  while (text.size() < size) {
    text += kWords[rng.between(0, kWords.size() - 1)];
    const std::uint64_t r = rng.between(0, 9);
    text += r < 6 ? " " : r < 8 ? "\n" : "\r\n";
  }
  text.resize(static_cast<std::size_t>(size));
  return Payload::text(text);
}

// Random bytes with weak-spot tokens and short runs spliced in, exactly `size` bytes.
Payload mixed_payload(Rng& rng, std::uint64_t size) {
  Payload payload;
  std::uint64_t left = size;
  const auto pieces = rng.between(1, 6);
  for (std::uint64_t i = 0; i < pieces && left > 0; ++i) {
    Piece piece;
    const auto kind = rng.between(0, 9);
    if (kind < 5) {
      piece = token(rng);
    } else if (kind < 7) {
      piece = Piece::literal(std::string(1, kRunBytes[rng.between(0, kRunBytes.size() - 1)]),
                             rng.between(2, 64));
    } else {
      piece = Piece::random(small_seed(rng), rng.between(1, std::max<std::uint64_t>(1, left / 2)));
    }
    if (piece.size() > left) continue;
    left -= piece.size();
    payload.pieces.push_back(std::move(piece));
  }
  if (left > 0) {
    // The rest goes before or after what was chosen, so tokens land anywhere.
    Piece rest = Piece::random(small_seed(rng), left);
    const auto at = rng.between(0, payload.pieces.size());
    payload.pieces.insert(payload.pieces.begin() + static_cast<std::ptrdiff_t>(at), rest);
  }
  return payload;
}

// A write's size: mostly small, often at an edge, rarely large (the bytes of
// the rare large ones dominate what a run moves: 0.85 % of 64 KiB-1 MiB and
// 0.05 % of 1-4 MiB keep the mean near 10 KiB).
std::uint64_t tcp_size(Rng& rng) {
  const auto r = rng.between(0, 9999);
  if (r < 3000) return rng.between(1, 16);
  if (r < 6000) return rng.between(17, 512);
  if (r < 8300) return rng.between(513, 16 * 1024);
  if (r < 9910) {
    const std::uint64_t edge = kEdgeSizes[rng.between(0, kEdgeSizes.size() - 1)];
    return edge + rng.between(0, 2) - 1 + (edge == 65536 && chance(rng, 50) ? 65536 : 0);
  }
  if (r < 9995) return rng.between(64 * 1024, 1 << 20);
  return rng.between(1 << 20, 4 << 20);
}

std::uint64_t datagram_size(Rng& rng) {
  const auto r = rng.between(0, 99);
  if (r < 8) return 0;
  if (r < 48) return rng.between(1, 64);
  if (r < 73) return rng.between(65, 1472);
  if (r < 93) {
    constexpr std::array<std::uint64_t, 14> kDatagramEdges{
        511, 512, 513, 1024, 1472, 1473, 2048, 2049, 4096, 8192, 8193, 16384, 32768, 65507};
    return kDatagramEdges[rng.between(0, kDatagramEdges.size() - 1)];
  }
  return rng.between(1473, kMaxDatagram);
}

std::chrono::milliseconds short_duration(Rng& rng) {
  if (chance(rng, 80)) return std::chrono::milliseconds(rng.between(1, 20));
  return std::chrono::milliseconds(rng.between(21, kMaxPause.count()));
}

// The steps of one TCP connection, in order; its sends take at most
// `budget` bytes (what is left of the script's).
std::vector<Step> tcp_steps(Rng& rng, ChannelId id, std::uint64_t& budget) {
  std::vector<Step> steps{Step::connect(id)};
  const auto r = rng.between(0, 99);
  const std::uint64_t sends = r < 40   ? 1
                              : r < 75 ? rng.between(2, 3)
                              : r < 95 ? rng.between(4, 8)
                                       : rng.between(9, 32);
  for (std::uint64_t i = 0; i < sends; ++i) {
    if (chance(rng, 3)) steps.push_back(Step::hold(id, short_duration(rng)));
    if (chance(rng, 2)) {
      steps.push_back(
          Step::trickle(id, static_cast<std::uint32_t>(rng.between(1, 4096)), short_duration(rng)));
    }
    const std::uint64_t size = std::max<std::uint64_t>(1, std::min(tcp_size(rng), budget));
    budget -= std::min(budget, size);
    steps.push_back(Step::send(id, generate_payload(rng.next(), size)));
  }
  const auto end = rng.between(0, 99);
  if (end < 25) steps.push_back(Step::shutdown(id));
  if (end >= 25 && end < 30) steps.push_back(Step::close(id));
  if (end >= 30 && end < 35) steps.push_back(Step::reset(id));
  return steps;
}

// The steps of one UDP socket, in order.
std::vector<Step> udp_steps(Rng& rng, ChannelId id) {
  std::vector<Step> steps{Step::socket(id)};
  const auto sends = rng.between(1, 4);
  for (std::uint64_t i = 0; i < sends; ++i) {
    if (chance(rng, 15)) {
      const auto size = std::min<std::uint64_t>(datagram_size(rng), 1472);
      steps.push_back(Step::burst(id, static_cast<std::uint32_t>(rng.between(2, 32)),
                                  generate_payload(rng.next(), size)));
    } else {
      steps.push_back(Step::send(id, generate_payload(rng.next(), datagram_size(rng))));
    }
  }
  return steps;
}

std::uint64_t how_many(Rng& rng, const std::array<unsigned, 4>& percent_at_most) {
  const auto r = rng.between(0, 99);
  if (r < percent_at_most[0]) return 1;
  if (r < percent_at_most[1]) return 2;
  if (r < percent_at_most[2]) return rng.between(3, 4);
  return rng.between(5, 8);
}

}  // namespace

Payload generate_payload(std::uint64_t seed, std::uint64_t size) {
  Rng rng(seed);
  if (size == 0) return {};
  const auto mode = rng.between(0, 99);
  if (mode < 30) return Payload{{Piece::random(small_seed(rng), size)}};
  if (mode < 50 && size <= 4096) return text_payload(rng, size);
  if (mode < 62) {
    return Payload{
        {Piece::literal(std::string(1, kRunBytes[rng.between(0, kRunBytes.size() - 1)]), size)}};
  }
  return mixed_payload(rng, size);
}

Script generate_script(std::uint64_t seed, const GeneratorOptions& options) {
  Rng rng(seed);
  const bool both = options.tcp && options.udp;
  const auto shape = rng.between(0, 99);
  const bool tcp = options.tcp && (!both || shape < 75 || shape >= 90);
  const bool udp = options.udp && (!both || shape >= 75);

  std::vector<std::vector<Step>> channels;
  std::uint64_t budget = kScriptBudget;
  if (tcp) {
    for (std::uint64_t i = how_many(rng, {65, 80, 92, 100}); i > 0; --i) {
      channels.push_back(tcp_steps(rng, static_cast<ChannelId>(channels.size()), budget));
    }
  }
  if (udp) {
    for (std::uint64_t i = how_many(rng, {70, 85, 100, 100}); i > 0; --i) {
      channels.push_back(udp_steps(rng, static_cast<ChannelId>(channels.size())));
    }
  }
  // Interleave the channels' steps, each channel's in order.
  Script script;
  std::vector<std::size_t> next(channels.size(), 0);
  std::size_t left = 0;
  for (const auto& steps : channels) left += steps.size();
  const bool pauses = chance(rng, 8);
  while (left > 0) {
    std::size_t pick = rng.between(0, channels.size() - 1);
    while (next[pick] == channels[pick].size()) pick = (pick + 1) % channels.size();
    script.steps.push_back(channels[pick][next[pick]++]);
    --left;
    if (pauses && left > 0 && chance(rng, 30))
      script.steps.push_back(Step::pause(short_duration(rng)));
  }
  return canonical(std::move(script));
}

}  // namespace echo::conformance::explore
