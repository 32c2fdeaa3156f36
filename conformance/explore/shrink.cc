#include "conformance/explore/shrink.h"

#include <algorithm>
#include <optional>

namespace echo::conformance::explore {
namespace {

constexpr std::uint64_t kMaterialize = 64;  // random pieces up to this size become literals

using Kind = Step::Kind;

bool carries_payload(const Step& step) {
  return step.kind == Kind::kSend || step.kind == Kind::kBurst;
}

// Chunk removal over n items, coarse to fine: sizes n/2, n/4, ..., 1, and for
// each size every aligned position. The i-th (start, length), or nullopt past the end.
std::optional<std::pair<std::size_t, std::size_t>> chunk_at(std::size_t n, std::size_t i) {
  if (n == 0) return std::nullopt;
  for (std::size_t size = std::max<std::size_t>(1, n / 2);; size /= 2) {
    const std::size_t positions = (n + size - 1) / size;
    if (i < positions) return std::pair{i * size, std::min(size, n - i * size)};
    i -= positions;
    if (size == 1) return std::nullopt;
  }
}

// A number of a script to minimise: the script with that number set to v.
struct Dimension {
  std::uint64_t low = 1;    // the smallest value that makes sense
  std::uint64_t value = 1;  // the current one
  std::function<Script(std::uint64_t)> with;
};

class Shrinker {
 public:
  Shrinker(const Script& failing, const CandidateTest& test, const ShrinkOptions& options)
      : test_(test), options_(options) {
    result_.script = failing;
  }

  ShrinkResult run() {
    for (;;) {
      result_.script = tidy(std::move(result_.script));
      bool changed = false;
      changed = pass([](const Script& s, std::size_t i) { return drop_channel(s, i); }) || changed;
      changed = pass([](const Script& s, std::size_t i) { return drop_steps(s, i); }) || changed;
      changed = pass([](const Script& s, std::size_t i) { return merge_sends(s, i); }) || changed;
      changed = pass([](const Script& s, std::size_t i) { return drop_piece(s, i); }) || changed;
      changed = shrink_numbers() || changed;
      changed = pass([](const Script& s, std::size_t i) { return drop_bytes(s, i); }) || changed;
      if (!changed || !budget_left()) break;
    }
    result_.script = tidy(std::move(result_.script));
    result_.complete = budget_left();
    return std::move(result_);
  }

 private:
  [[nodiscard]] bool budget_left() const {
    return result_.runs < options_.max_runs && std::chrono::steady_clock::now() < options_.deadline;
  }
  [[nodiscard]] const Script& current() const { return result_.script; }

  // Tests the candidates; adopts the first that still fails and returns its index.
  std::optional<std::size_t> adopt_first_failing(std::vector<Script>& candidates) {
    const std::size_t room = options_.max_runs - result_.runs;
    if (candidates.size() > room) candidates.resize(room);
    if (candidates.empty()) return std::nullopt;
    const std::vector<bool> fails = test_(candidates);
    result_.runs += candidates.size();
    for (std::size_t k = 0; k < candidates.size() && k < fails.size(); ++k) {
      if (!fails[k]) continue;
      result_.script = std::move(candidates[k]);
      ++result_.accepted;
      return k;
    }
    return std::nullopt;
  }

  // One pass over the candidates make(script, 0), make(script, 1), ...
  // (nullopt past the last; the script itself when index i has none). After a
  // reduction the enumeration goes on at the same index of the smaller script.
  template <class Make>
  bool pass(const Make& make) {
    bool changed = false;
    std::size_t i = 0;
    while (budget_left()) {
      std::vector<Script> batch;
      std::vector<std::size_t> at;
      bool end = false;
      std::size_t j = i;
      while (batch.size() < std::max<std::size_t>(1, options_.batch)) {
        std::optional<Script> candidate = make(current(), j);
        if (!candidate) {
          end = true;
          break;
        }
        Script c = canonical(std::move(*candidate));
        if (c != current() && !c.steps.empty() && validate(c).ok()) {
          batch.push_back(std::move(c));
          at.push_back(j);
        }
        ++j;
      }
      if (batch.empty()) return changed;
      if (auto k = adopt_first_failing(batch)) {
        changed = true;
        i = at[*k];
        continue;
      }
      if (end) return changed;
      i = j;
    }
    return changed;
  }

  // A k-ary search for the smallest value of `d` that still fails.
  bool minimize(const Dimension& d) {
    bool changed = false;
    std::uint64_t low = d.low;
    std::uint64_t high = d.value;  // fails
    const std::uint64_t ways = std::max<std::size_t>(1, options_.batch);
    while (low < high && budget_left()) {
      std::vector<std::uint64_t> values;
      for (std::uint64_t k = 0; k < ways; ++k) {
        const std::uint64_t v = low + (high - low) * k / ways;
        if (v < high && (values.empty() || v > values.back())) values.push_back(v);
      }
      std::vector<Script> batch;
      std::vector<std::uint64_t> tried;
      for (std::uint64_t v : values) {
        Script c = d.with(v);
        if (!validate(c).ok()) continue;
        batch.push_back(std::move(c));
        tried.push_back(v);
      }
      if (batch.empty()) return changed;
      if (auto k = adopt_first_failing(batch)) {
        changed = true;
        high = tried[*k];
        if (*k > 0) low = tried[*k - 1] + 1;
        continue;
      }
      low = tried.back() + 1;
    }
    return changed;
  }

  // Every number of the current script, one after another.
  bool shrink_numbers() {
    bool changed = false;
    for (std::size_t i = 0;; ++i) {
      std::optional<Dimension> d = dimension(current(), i);
      if (!d || !budget_left()) return changed;
      if (d->value > d->low) changed = minimize(*d) || changed;
    }
  }

  // --- candidates ------------------------------------------------------------

  static std::optional<Script> drop_channel(const Script& s, std::size_t i) {
    if (i >= s.channel_count()) return std::nullopt;
    return without_channel(s, static_cast<ChannelId>(i));
  }

  static std::optional<Script> drop_steps(const Script& s, std::size_t i) {
    const auto chunk = chunk_at(s.steps.size(), i);
    if (!chunk) return std::nullopt;
    Script c = s;
    const auto first = c.steps.begin() + static_cast<std::ptrdiff_t>(chunk->first);
    c.steps.erase(first, first + static_cast<std::ptrdiff_t>(chunk->second));
    return c;
  }

  // The i-th pair of writes on one connection with no step of it between.
  static std::optional<Script> merge_sends(const Script& s, std::size_t i) {
    std::vector<bool> tcp(s.steps.size() + 1, false);
    for (const Step& step : s.steps) {
      if (step.kind == Kind::kConnect) {
        if (tcp.size() <= step.channel) tcp.resize(step.channel + 1);
        tcp[step.channel] = true;
      }
    }
    std::size_t seen = 0;
    for (std::size_t a = 0; a < s.steps.size(); ++a) {
      const Step& first = s.steps[a];
      if (first.kind != Kind::kSend || first.channel >= tcp.size() || !tcp[first.channel]) continue;
      for (std::size_t b = a + 1; b < s.steps.size(); ++b) {
        const Step& next = s.steps[b];
        if (!next.uses_channel() || next.channel != first.channel) continue;
        if (next.kind != Kind::kSend) break;
        if (seen++ < i) break;
        Script c = s;
        auto& pieces = c.steps[a].payload.pieces;
        pieces.insert(pieces.end(), next.payload.pieces.begin(), next.payload.pieces.end());
        c.steps.erase(c.steps.begin() + static_cast<std::ptrdiff_t>(b));
        return c;
      }
    }
    return std::nullopt;
  }

  // The i-th piece of any payload, removed (a write left empty goes too).
  static std::optional<Script> drop_piece(const Script& s, std::size_t i) {
    for (std::size_t a = 0; a < s.steps.size(); ++a) {
      const Step& step = s.steps[a];
      if (!carries_payload(step)) continue;
      if (i >= step.payload.pieces.size()) {
        i -= step.payload.pieces.size();
        continue;
      }
      Script c = s;
      auto& pieces = c.steps[a].payload.pieces;
      pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i));
      const bool tcp_write = step.kind == Kind::kSend && is_tcp_channel(s, step.channel);
      if (pieces.empty() && tcp_write)
        c.steps.erase(c.steps.begin() + static_cast<std::ptrdiff_t>(a));
      return c;
    }
    return std::nullopt;
  }

  // Runs of bytes of literal strings (repeat 1), removed: the i-th chunk over
  // all such pieces in order.
  static std::optional<Script> drop_bytes(const Script& s, std::size_t i) {
    for (std::size_t a = 0; a < s.steps.size(); ++a) {
      const Step& step = s.steps[a];
      if (!carries_payload(step)) continue;
      for (std::size_t p = 0; p < step.payload.pieces.size(); ++p) {
        const Piece& piece = step.payload.pieces[p];
        if (piece.kind != Piece::Kind::kText || piece.repeat != 1 || piece.text.size() < 2) {
          continue;
        }
        std::size_t chunks = 0;
        while (chunk_at(piece.text.size(), chunks)) ++chunks;
        if (i >= chunks) {
          i -= chunks;
          continue;
        }
        const auto chunk = *chunk_at(piece.text.size(), i);
        Script c = s;
        Bytes& text = c.steps[a].payload.pieces[p].text;
        const auto first = text.begin() + static_cast<std::ptrdiff_t>(chunk.first);
        text.erase(first, first + static_cast<std::ptrdiff_t>(chunk.second));
        return c;
      }
    }
    return std::nullopt;
  }

  static bool is_tcp_channel(const Script& s, ChannelId channel) {
    for (const Step& step : s.steps) {
      if (step.opens_channel() && step.channel == channel) return is_tcp(step.kind);
    }
    return false;
  }

  // The i-th number of the script: per payload piece its repeat count, or
  // for random runs the length cut from the end and from the front; per step
  // its duration and burst count.
  static std::optional<Dimension> dimension(const Script& s, std::size_t i) {
    for (std::size_t a = 0; a < s.steps.size(); ++a) {
      const Step& step = s.steps[a];
      if (step.duration.count() > 1) {
        if (i-- == 0) {
          return Dimension{1, static_cast<std::uint64_t>(step.duration.count()),
                           [s, a](std::uint64_t v) {
                             Script c = s;
                             c.steps[a].duration = std::chrono::milliseconds(v);
                             return c;
                           }};
        }
      }
      if (step.kind == Kind::kBurst && step.count > 1) {
        if (i-- == 0) {
          return Dimension{1, step.count, [s, a](std::uint64_t v) {
                             Script c = s;
                             c.steps[a].count = static_cast<std::uint32_t>(v);
                             return c;
                           }};
        }
      }
      if (!carries_payload(step)) continue;
      for (std::size_t p = 0; p < step.payload.pieces.size(); ++p) {
        const Piece& piece = step.payload.pieces[p];
        if (piece.kind == Piece::Kind::kText) {
          if (piece.repeat > 1 && i-- == 0) {
            return Dimension{1, piece.repeat, [s, a, p](std::uint64_t v) {
                               Script c = s;
                               c.steps[a].payload.pieces[p].repeat = v;
                               return c;
                             }};
          }
          continue;
        }
        if (piece.length <= 1) continue;
        if (i-- == 0) {  // cut from the end
          return Dimension{1, piece.length, [s, a, p](std::uint64_t v) {
                             Script c = s;
                             c.steps[a].payload.pieces[p].length = v;
                             return c;
                           }};
        }
        if (i-- == 0) {  // cut from the front: v bytes are left
          return Dimension{1, piece.length, [s, a, p](std::uint64_t v) {
                             Script c = s;
                             Piece& q = c.steps[a].payload.pieces[p];
                             q.offset += q.length - v;
                             q.length = v;
                             return c;
                           }};
        }
      }
    }
    return std::nullopt;
  }

  const CandidateTest& test_;
  ShrinkOptions options_;
  ShrinkResult result_;
};

}  // namespace

Script tidy(Script script) {
  for (Step& step : script.steps) {
    if (!carries_payload(step)) continue;
    if (step.kind == Kind::kBurst && step.count == 1) {
      step.kind = Kind::kSend;
      step.count = 0;
    }
    std::vector<Piece> pieces;
    for (Piece& piece : step.payload.pieces) {
      if (piece.kind == Piece::Kind::kRandom && piece.length <= kMaterialize) {
        Payload one{{piece}};
        const Bytes bytes = one.bytes();
        piece = Piece{};
        piece.text = bytes;
      }
      const bool literal = piece.kind == Piece::Kind::kText && piece.repeat == 1;
      if (literal && !pieces.empty() && pieces.back().kind == Piece::Kind::kText &&
          pieces.back().repeat == 1) {
        Bytes& text = pieces.back().text;
        text.insert(text.end(), piece.text.begin(), piece.text.end());
        continue;
      }
      pieces.push_back(std::move(piece));
    }
    step.payload.pieces = std::move(pieces);
  }
  return script;
}

ShrinkResult shrink(const Script& failing, const CandidateTest& still_fails,
                    const ShrinkOptions& options) {
  return Shrinker(failing, still_fails, options).run();
}

}  // namespace echo::conformance::explore
