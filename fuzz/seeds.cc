// fuzz_seeds: writes seed inputs for every fuzz target, in each target's input
// layout (see the comment at the top of each <target>.cc), under
// OUT_DIR/<target>/. tools/fuzz-seeds adds them to corpora/ named by SHA-256.
//   fuzz_seeds OUT_DIR
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/delimited.h"
#include "core/codec/length_prefixed.h"
#include "core/codec/probe_record.h"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

class SeedWriter {
 public:
  SeedWriter(fs::path root, std::string_view target) : dir_(root / target) {
    fs::create_directories(dir_);
  }

  void add(const Bytes& bytes) {
    std::ofstream out(dir_ / ("seed-" + std::to_string(count_++)), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  void add(std::string_view text) { add(to_bytes(text)); }

  static Bytes to_bytes(std::string_view text) {
    const auto* data = reinterpret_cast<const std::byte*>(text.data());
    return Bytes(data, data + text.size());
  }

 private:
  fs::path dir_;
  int count_ = 0;
};

// Appends an opcode and a 16-bit count, the layout of the operation-driven targets.
void op(Bytes& out, uint8_t code, uint16_t n) {
  out.push_back(std::byte{code});
  out.push_back(std::byte{static_cast<uint8_t>(n >> 8)});
  out.push_back(std::byte{static_cast<uint8_t>(n)});
}

Bytes ops(uint16_t first, std::initializer_list<std::pair<uint8_t, uint16_t>> list) {
  Bytes out{std::byte{static_cast<uint8_t>(first >> 8)}, std::byte{static_cast<uint8_t>(first)}};
  for (auto [code, n] : list) op(out, code, n);
  return out;
}

void address_seeds(const fs::path& root) {
  SeedWriter w(root, "address_fuzzer");
  for (std::string_view text : {"127.0.0.1",
                                "0.0.0.0",
                                "255.255.255.255",
                                "192.0.2.1",
                                "1.2.3",
                                "256.1.1.1",
                                "01.2.3.4",
                                "0x7f.0.0.1",
                                "::",
                                "::1",
                                "fe80::1",
                                "2001:db8::1",
                                "2001:DB8:0:0:1:0:0:1",
                                "1:2:3:4:5:6:7:8",
                                "1:2:3:4:5:6:1.2.3.4",
                                "::ffff:192.0.2.1",
                                "::ffff:0:0",
                                "::1.2.3.4",
                                "1::",
                                "::2:3:4:5:6:7:8",
                                "1:0:0:2:0:0:0:3",
                                "fe80::1%eth0",
                                "0001:02:3::",
                                "7",
                                "0",
                                "65535",
                                "65536",
                                "007",
                                "+7"}) {
    w.add(text);
  }
}

void target_list_seeds(const fs::path& root) {
  SeedWriter w(root, "target_list_fuzzer");
  for (std::string_view text :
       {"localhost:7", "127.0.0.1:7", "[::1]:7", "[fe80::1%eth0]:7", "echo.example.com:7007",
        "a-b.c:65535", "host", "host:", ":7", "host:0", "1.2.3:7", "[::1]", "::1:7", "[1.2.3.4]:7",
        "[::ffff:192.0.2.1]:65535", "10.0.0.1:70000"}) {
    w.add(text);
  }
}

void ring_buffer_seeds(const fs::path& root) {
  SeedWriter w(root, "ring_buffer_fuzzer");
  // Capacity: 1 + first % 256. Opcodes: 0 write, 1 fill+commit, 2 consume, 3 read,
  // 4 regions, 5 move; counts mod 512.
  w.add(ops(15, {{0, 10}, {2, 7}, {0, 10}, {4, 0}, {3, 20}, {4, 0}}));
  w.add(ops(0, {{1, 1}, {1, 1}, {2, 1}, {4, 0}}));
  w.add(ops(63, {{1, 40}, {3, 30}, {1, 50}, {4, 0}, {5, 0}, {2, 64}, {0, 64}, {4, 0}}));
  w.add(ops(255, {{0, 500}, {3, 400}, {1, 400}, {4, 0}, {2, 100}}));
}

void echo_session_seeds(const fs::path& root) {
  SeedWriter w(root, "echo_session_fuzzer");
  // Capacity: 1 + first % 256. Opcodes (mod 16): 0 data in, 1 send room, 2 peer EOF,
  // 3 reset, 4 direct echo; counts mod 512.
  w.add(ops(15, {{0, 10}, {1, 3}, {0, 20}, {1, 100}, {2, 0}, {1, 100}}));
  w.add(ops(0, {{0, 1}, {0, 1}, {1, 1}, {2, 0}, {1, 1}}));
  w.add(ops(127, {{0, 200}, {0, 200}, {1, 60}, {3, 0}, {1, 10}}));
  w.add(ops(255, {{2, 0}, {0, 10}, {1, 10}}));
  w.add(ops(99, {{4, 70}, {1, 20}, {4, 500}, {1, 511}, {2, 0}, {1, 5}}));
}

Bytes with_header(std::initializer_list<uint8_t> header, const Bytes& stream) {
  Bytes out;
  for (uint8_t b : header) out.push_back(std::byte{b});
  out.insert(out.end(), stream.begin(), stream.end());
  return out;
}

void delimited_seeds(const fs::path& root) {
  SeedWriter w(root, "delimited_fuzzer");
  // Header: delimiter, max_length selector (3 = 7 bytes, 7 = 1024), flags.
  for (uint8_t selector : {3, 7}) {
    echo::DelimitedOptions options{.delimiter = std::byte{'\n'},
                                   .max_length = selector == 3 ? 7u : 1024u};
    Bytes wire;
    for (std::string_view message : {"hello", "", "world", "echo 7"}) {
      (void)echo::encode_delimited(wire, SeedWriter::to_bytes(message), options);
    }
    w.add(with_header({'\n', selector, 0}, wire));
    w.add(with_header({'\n', selector, 1}, wire));
  }
  w.add(with_header({'\n', 3, 0}, SeedWriter::to_bytes("much too long\nok\nagain too long\n")));
  w.add(with_header({0, 0, 0}, SeedWriter::to_bytes(std::string_view("a\0\0bb\0", 6))));
  w.add(with_header({'\r', 6, 1}, SeedWriter::to_bytes("line\r\nline\r\n")));
}

void length_prefixed_seeds(const fs::path& root) {
  SeedWriter w(root, "length_prefixed_fuzzer");
  // Header: prefix (0 u8, 1 be16, 2 be32, 3 varint), max_length selector (7 = 1024).
  for (uint8_t prefix = 0; prefix < 4; ++prefix) {
    echo::LengthPrefixedOptions options{.prefix = static_cast<echo::LengthPrefix>(prefix),
                                        .max_length = 1024};
    Bytes wire;
    for (std::size_t size : {0, 1, 5, 200, 300}) {
      (void)echo::encode_length_prefixed(wire, Bytes(size, std::byte{'x'}), options);
    }
    w.add(with_header({prefix, 7}, wire));
    w.add(with_header({prefix, 3}, wire));  // a 5-byte limit: the longer ones overflow
  }
  w.add(with_header({3, 7}, {std::byte{0x80}, std::byte{0x00}, std::byte{'x'}}));  // not minimal
  Bytes too_long(10, std::byte{0xff});
  w.add(with_header({3, 7}, too_long));
  w.add(with_header({1, 7}, {std::byte{0x00}, std::byte{0x02}, std::byte{'h'}, std::byte{'i'}}));
}

Bytes probe_stream(std::initializer_list<std::size_t> payload_sizes) {
  Bytes wire;
  uint64_t sequence = 0;
  for (std::size_t size : payload_sizes) {
    echo::ProbeRecord record{
        .sequence = sequence, .send_time_ns = 1'000'000 * sequence, .payload = {}};
    for (std::size_t i = 0; i < size; ++i)
      record.payload.push_back(std::byte{static_cast<uint8_t>(i)});
    echo::encode_probe_record(wire, record);
    ++sequence;
  }
  return wire;
}

void probe_record_seeds(const fs::path& root) {
  SeedWriter w(root, "probe_record_fuzzer");
  // Header: max_payload selector (2 = 16, 4 = 1024).
  w.add(with_header({4}, probe_stream({0, 5, 100})));
  w.add(with_header({2}, probe_stream({3, 40, 16})));  // the 40-byte payload is too long
  Bytes garbled = probe_stream({8, 8, 8});
  garbled[echo::probe_record_size(8) + 30] ^= std::byte{0x10};  // a bad checksum
  garbled.insert(garbled.begin() + 10, 5, std::byte{'g'});      // garbage mid-record
  w.add(with_header({4}, garbled));
  Bytes truncated = probe_stream({20});
  truncated.resize(30);
  Bytes rest = probe_stream({1, 2});
  truncated.insert(truncated.end(), rest.begin(), rest.end());
  w.add(with_header({4}, truncated));
}

void stream_verifier_seeds(const fs::path& root) {
  SeedWriter w(root, "stream_verifier_fuzzer");
  // Header: mode (bit 0: PayloadStream), 16-bit expected length, seed byte.
  // Opcodes: 0 echo n, 1 insert n input bytes, 2 lose n, 3 corrupt one, 4 boundary.
  auto scenario = [](uint8_t mode, uint16_t length,
                     std::initializer_list<std::pair<uint8_t, uint16_t>> list) {
    Bytes out{std::byte{mode}, std::byte{static_cast<uint8_t>(length >> 8)},
              std::byte{static_cast<uint8_t>(length)}, std::byte{7}};
    for (auto [code, n] : list) op(out, code, n);
    return out;
  };
  w.add(scenario(1, 1000, {{0, 400}, {4, 0}, {0, 600}}));
  w.add(scenario(1, 40000, {{0, 20000}, {4, 0}, {3, 1}, {0, 19999}}));
  w.add(scenario(0, 100, {{0, 50}, {2, 3}, {0, 47}}));
  w.add(scenario(0, 100, {{0, 95}, {4, 0}, {3, 2}, {0, 10}}));  // mismatch near the end, then extra
  Bytes extra = scenario(1, 64, {{0, 64}, {1, 4}});             // the 4 inserted bytes follow op 1
  for (char c : std::string_view("wxyz")) extra.push_back(static_cast<std::byte>(c));
  w.add(extra);
  w.add(scenario(0, 0, {{1, 3}}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  fs::path root = argv[1];
  address_seeds(root);
  target_list_seeds(root);
  ring_buffer_seeds(root);
  echo_session_seeds(root);
  delimited_seeds(root);
  length_prefixed_seeds(root);
  probe_record_seeds(root);
  stream_verifier_seeds(root);
  return 0;
}
