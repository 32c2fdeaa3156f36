#include "conformance/explore/script_text.h"

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

namespace echo::conformance::explore {
namespace {

using Kind = Step::Kind;

struct Keyword {
  std::string_view word;
  Kind kind;
};

constexpr Keyword kKeywords[] = {
    {"connect", Kind::kConnect}, {"socket", Kind::kSocket},     {"send", Kind::kSend},
    {"burst", Kind::kBurst},     {"pause", Kind::kPause},       {"hold", Kind::kHold},
    {"trickle", Kind::kTrickle}, {"shutdown", Kind::kShutdown}, {"close", Kind::kClose},
    {"reset", Kind::kReset},
};

std::string_view keyword_of(Kind kind) {
  for (const Keyword& k : kKeywords) {
    if (k.kind == kind) return k.word;
  }
  return "?";
}

void append_escaped(std::string& out, const Bytes& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::byte b : bytes) {
    const auto c = static_cast<unsigned char>(b);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += '"';
}

std::string print_with(const Script& script, std::size_t index,
                       const std::vector<std::string>& names) {
  const Step& step = script.steps[index];
  std::string line(keyword_of(step.kind));
  if (step.uses_channel()) {
    const bool named = step.channel < names.size() && !names[step.channel].empty();
    line += " " + (named ? names[step.channel] : "#" + std::to_string(step.channel));
  }
  switch (step.kind) {
    case Kind::kSend:
      line += " " + print_payload(step.payload);
      break;
    case Kind::kBurst:
      line += " " + std::to_string(step.count) + " " + print_payload(step.payload);
      break;
    case Kind::kTrickle:
      line += " " + std::to_string(step.count);
      [[fallthrough]];
    case Kind::kPause:
    case Kind::kHold:
      line += " " + std::to_string(step.duration.count()) + "ms";
      break;
    default:
      break;
  }
  return line;
}

// A parse error at a column of the current line.
struct Failure {
  std::size_t column;
  std::string message;
};

// Reads the tokens of one line, left to right.
class LineReader {
 public:
  explicit LineReader(std::string_view line) : line_(line) {}

  [[nodiscard]] std::size_t column() const noexcept { return at_ + 1; }
  void skip_space() {
    while (at_ < line_.size() && (line_[at_] == ' ' || line_[at_] == '\t')) ++at_;
  }
  // At the end of the line, or at a comment.
  [[nodiscard]] bool at_end() {
    skip_space();
    return at_ == line_.size() || line_[at_] == '#';
  }
  [[nodiscard]] char peek() const noexcept { return at_ < line_.size() ? line_[at_] : '\0'; }
  // A word: letters, digits and '_' (empty when none).
  std::string_view word() {
    skip_space();
    const std::size_t start = at_;
    while (at_ < line_.size() &&
           (std::isalnum(static_cast<unsigned char>(line_[at_])) != 0 || line_[at_] == '_')) {
      ++at_;
    }
    return line_.substr(start, at_ - start);
  }
  // What is at the cursor, for messages: "'x1'", "the end of the line".
  [[nodiscard]] std::string found() const {
    if (at_ >= line_.size() || line_[at_] == '#') return "the end of the line";
    std::size_t end = at_;
    while (end < line_.size() && end - at_ < 16 && line_[end] != ' ' && line_[end] != '\t') ++end;
    if (end == at_) end = at_ + 1;
    return "'" + std::string(line_.substr(at_, end - at_)) + "'";
  }
  bool take(char c) {
    skip_space();
    if (peek() != c) return false;
    ++at_;
    return true;
  }
  std::optional<Failure> number(std::uint64_t& out, std::string_view what) {
    skip_space();
    const std::size_t start = at_;
    const char* first = line_.data() + at_;
    const char* last = line_.data() + line_.size();
    if (at_ >= line_.size() || std::isdigit(static_cast<unsigned char>(*first)) == 0) {
      return Failure{column(), "expected " + std::string(what) + ", found " + found()};
    }
    const auto [end, error] = std::from_chars(first, last, out);
    at_ += static_cast<std::size_t>(end - first);
    if (error == std::errc::result_out_of_range) {
      return Failure{start + 1, std::string(what) + " is too large"};
    }
    return std::nullopt;
  }
  // A quoted string, the cursor on its opening quote.
  std::optional<Failure> quoted(Bytes& out) {
    ++at_;
    for (;;) {
      if (at_ >= line_.size()) {
        return Failure{column(), "the string has no closing quote"};
      }
      const auto c = static_cast<unsigned char>(line_[at_]);
      if (c == '"') {
        ++at_;
        return std::nullopt;
      }
      if (c == '\\') {
        if (auto failure = escape(out)) return failure;
        continue;
      }
      if (c < 0x20 || c >= 0x7F) {
        return Failure{column(), "write byte " + hex(c) + " as \\x" + hex(c).substr(2) +
                                     " (strings hold printable ASCII; other bytes are escaped)"};
      }
      out.push_back(static_cast<std::byte>(c));
      ++at_;
    }
  }

 private:
  static std::string hex(unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("0x") + kHex[c >> 4] + kHex[c & 0xF];
  }
  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  std::optional<Failure> escape(Bytes& out) {
    const std::size_t start = at_;
    ++at_;
    const char c = peek();
    ++at_;
    switch (c) {
      case '\\':
        out.push_back(std::byte{'\\'});
        return std::nullopt;
      case '"':
        out.push_back(std::byte{'"'});
        return std::nullopt;
      case 'n':
        out.push_back(std::byte{'\n'});
        return std::nullopt;
      case 'r':
        out.push_back(std::byte{'\r'});
        return std::nullopt;
      case 't':
        out.push_back(std::byte{'\t'});
        return std::nullopt;
      case 'x': {
        const int high = hex_digit(peek());
        const int low = at_ + 1 < line_.size() ? hex_digit(line_[at_ + 1]) : -1;
        if (high < 0 || low < 0) {
          return Failure{start + 1, "\\x takes two hex digits, as in \\x00"};
        }
        at_ += 2;
        out.push_back(static_cast<std::byte>(high * 16 + low));
        return std::nullopt;
      }
      default:
        return Failure{start + 1, "unknown escape; use \\\\ \\\" \\n \\r \\t or \\xHH"};
    }
  }

  std::string_view line_;
  std::size_t at_ = 0;
};

// Parses the lines of a script into steps, naming channels as they appear.
class Parser {
 public:
  std::optional<Failure> line(LineReader& in, std::vector<Step>& steps) {
    if (in.at_end()) return std::nullopt;
    const std::size_t keyword_column = in.column();
    const std::string_view word = in.word();
    const Keyword* keyword = nullptr;
    for (const Keyword& k : kKeywords) {
      if (k.word == word) keyword = &k;
    }
    if (keyword == nullptr) {
      return Failure{keyword_column,
                     "expected a step (connect, socket, send, burst, pause, hold, trickle, "
                     "shutdown, close, reset), found " +
                         (word.empty() ? in.found() : "'" + std::string(word) + "'")};
    }
    Step step;
    step.kind = keyword->kind;
    if (auto failure = arguments(in, step)) return failure;
    if (!in.at_end())
      return Failure{in.column(), "expected the end of the line, found " + in.found()};
    steps.push_back(std::move(step));
    return std::nullopt;
  }

 private:
  std::optional<Failure> arguments(LineReader& in, Step& step) {
    if (step.uses_channel()) {
      if (auto failure = channel(in, step)) return failure;
    }
    std::uint64_t n = 0;
    switch (step.kind) {
      case Kind::kSend:
        return payload(in, step.payload);
      case Kind::kBurst:
        if (auto failure = in.number(n, "a count of datagrams")) return failure;
        if (n > kMaxBurst) return Failure{in.column(), "a burst sends at most 256 datagrams"};
        step.count = static_cast<std::uint32_t>(n);
        return payload(in, step.payload);
      case Kind::kTrickle:
        if (auto failure = in.number(n, "bytes a millisecond")) return failure;
        if (n > kMaxTrickle) return Failure{in.column(), "trickle reads at most 65536 bytes"};
        step.count = static_cast<std::uint32_t>(n);
        [[fallthrough]];
      case Kind::kPause:
      case Kind::kHold:
        return duration(in, step.duration);
      default:
        return std::nullopt;
    }
  }

  std::optional<Failure> channel(LineReader& in, Step& step) {
    in.skip_space();
    const std::size_t column = in.column();
    const std::string_view name = in.word();
    const bool well_formed = name.size() >= 2 && (name[0] == 'c' || name[0] == 'u') &&
                             name[1] != '0' && name.size() <= 6 &&
                             name.find_first_not_of("0123456789", 1) == std::string_view::npos;
    if (!well_formed) {
      return Failure{column, "expected a channel name such as c1 (TCP) or u1 (UDP), found " +
                                 (name.empty() ? in.found() : "'" + std::string(name) + "'")};
    }
    const bool tcp_name = name[0] == 'c';
    if (step.opens_channel() && tcp_name != is_tcp(step.kind)) {
      return Failure{column, std::string(tcp_name ? "c" : "u") + "-channels are " +
                                 (tcp_name ? "TCP connections, opened with connect"
                                           : "UDP sockets, opened with socket")};
    }
    auto [it, added] = ids_.emplace(std::string(name), static_cast<ChannelId>(ids_.size()));
    step.channel = it->second;
    return std::nullopt;
  }

  std::optional<Failure> duration(LineReader& in, std::chrono::milliseconds& out) {
    std::uint64_t ms = 0;
    if (auto failure = in.number(ms, "a duration such as 20ms")) return failure;
    if (in.word() != "ms") return Failure{in.column(), "durations end in ms, as in 20ms"};
    if (ms > static_cast<std::uint64_t>(kMaxPause.count())) {
      return Failure{in.column(), "a duration is at most 200ms"};
    }
    out = std::chrono::milliseconds(ms);
    return std::nullopt;
  }

  std::optional<Failure> payload(LineReader& in, Payload& out) {
    for (;;) {
      in.skip_space();
      const std::size_t column = in.column();
      if (in.peek() == '"') {
        Piece piece;
        if (auto failure = in.quoted(piece.text)) return failure;
        if (auto failure = repeat(in, piece)) return failure;
        if (piece.size() > kMaxScriptBytes) {
          return Failure{column, "a piece holds at most 67108864 bytes"};
        }
        if (!piece.text.empty()) out.pieces.push_back(std::move(piece));
      } else if (in.peek() == 'r') {
        if (auto failure = random(in, out)) return failure;
      } else {
        return Failure{column,
                       "expected a payload: a quoted string or random(SEED, LENGTH), "
                       "found " +
                           in.found()};
      }
      if (in.at_end()) return std::nullopt;
    }
  }

  std::optional<Failure> repeat(LineReader& in, Piece& piece) {
    in.skip_space();
    if (in.peek() != 'x') return std::nullopt;
    const std::size_t column = in.column();
    if (in.word() != "x") return Failure{column, "expected x COUNT after a string, or a space"};
    std::uint64_t n = 0;
    in.skip_space();
    const std::size_t count_column = in.column();
    if (auto failure = in.number(n, "a repeat count")) return failure;
    if (n == 0) return Failure{count_column, "a repeat count is at least 1"};
    if (n > kMaxScriptBytes) return Failure{count_column, "a repeat count is at most 67108864"};
    piece.repeat = n;
    return std::nullopt;
  }

  std::optional<Failure> random(LineReader& in, Payload& out) {
    const std::size_t column = in.column();
    if (in.word() != "random" || !in.take('(')) {
      return Failure{column, "expected a payload: a quoted string or random(SEED, LENGTH)"};
    }
    std::uint64_t seed = 0;
    std::uint64_t length = 0;
    if (auto failure = in.number(seed, "a seed")) return failure;
    if (!in.take(',')) return Failure{in.column(), "expected ',' between seed and length"};
    if (auto failure = in.number(length, "a length")) return failure;
    std::uint64_t offset = 0;
    if (in.take(',')) {
      if (auto failure = in.number(offset, "an offset into the random stream")) return failure;
    }
    if (!in.take(')')) return Failure{in.column(), "expected ')' after the length"};
    if (length == 0) return Failure{column, "random() needs a length of at least 1"};
    if (length > kMaxScriptBytes) return Failure{column, "random() makes at most 67108864 bytes"};
    if (offset > kMaxRandomOffset) {
      return Failure{column, "random() starts at most 2^40 bytes into its stream"};
    }
    out.pieces.push_back(Piece::random(seed, length, offset));
    return std::nullopt;
  }

  std::map<std::string, ChannelId> ids_;
};

std::string at(std::size_t line, std::size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}

}  // namespace

std::string print_payload(const Payload& payload) {
  if (payload.pieces.empty()) return "\"\"";
  std::string out;
  for (const Piece& piece : payload.pieces) {
    if (!out.empty()) out += ' ';
    if (piece.kind == Piece::Kind::kRandom) {
      out += "random(" + std::to_string(piece.seed) + ", " + std::to_string(piece.length);
      if (piece.offset != 0) out += ", " + std::to_string(piece.offset);
      out += ")";
      continue;
    }
    append_escaped(out, piece.text);
    if (piece.repeat != 1) out += " x " + std::to_string(piece.repeat);
  }
  return out;
}

std::string print_step(const Script& script, std::size_t index) {
  return print_with(script, index, channel_names(script));
}

std::string print_script(const Script& script) {
  const auto names = channel_names(script);
  std::string out;
  for (std::size_t i = 0; i < script.steps.size(); ++i) {
    out += print_with(script, i, names);
    out += '\n';
  }
  return out;
}

Result<Script> parse_script(std::string_view text) {
  Script script;
  Parser parser;
  std::vector<std::size_t> lines;  // the line of each step
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) {
      return Error{at(number, line.find('\0') + 1) + "a NUL byte (scripts are text)"};
    }
    LineReader in(line);
    if (auto failure = parser.line(in, script.steps)) {
      return Error{at(number, failure->column) + failure->message};
    }
    if (lines.size() < script.steps.size()) lines.push_back(number);
    if (script.steps.size() > kMaxSteps) {
      return Error{at(number, 1) + "a script has at most " + std::to_string(kMaxSteps) + " steps"};
    }
  }
  std::size_t failing = 0;
  if (Status ok = validate(script, &failing); !ok) {
    const std::size_t line = failing < lines.size() ? lines[failing] : number;
    return Error{at(line, 1) + ok.error().message};
  }
  return canonical(std::move(script));
}

}  // namespace echo::conformance::explore
