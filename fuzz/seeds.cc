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
  // Header: delimiter, max_length selector (3 = 7 bytes, 7 = 1024), flags: bit 0
  // include_delimiter, bits 1-2 the split (0 whole, 1 random, 2 byte by byte), bit 3
  // finish(), bit 4 the round trip instead of the model.
  for (uint8_t selector : {3, 7}) {
    echo::DelimitedOptions options{.delimiter = std::byte{'\n'},
                                   .max_length = selector == 3 ? 7u : 1024u};
    Bytes wire;
    for (std::string_view message : {"hello", "", "world", "echo 7"}) {
      (void)echo::encode_delimited(wire, SeedWriter::to_bytes(message), options);
    }
    for (uint8_t flags : {0x00, 0x01, 0x03, 0x04, 0x0d, 0x10, 0x13}) {
      w.add(with_header({'\n', selector, flags}, wire));
    }
  }
  const Bytes overflow = SeedWriter::to_bytes("much too long\nok\nagain too long\nend");
  for (uint8_t flags : {0x00, 0x02, 0x04, 0x08, 0x0a, 0x12})
    w.add(with_header({'\n', 3, flags}, overflow));
  w.add(with_header({0, 0, 0}, SeedWriter::to_bytes(std::string_view("a\0\0bb\0", 6))));
  w.add(with_header({'\r', 6, 1}, SeedWriter::to_bytes("line\r\nline\r\n")));
  w.add(with_header({'\r', 6, 0x0f}, SeedWriter::to_bytes("line\r\nline\r\npartial")));
}

void length_prefixed_seeds(const fs::path& root) {
  SeedWriter w(root, "length_prefixed_fuzzer");
  // Header: prefix byte (bits 0-1: 0 u8, 1 be16, 2 be32, 3 varint; bits 2-3 the split:
  // 0 whole, 1 random, 2 byte by byte; bit 4 finish(); bit 5 the round trip instead of
  // the model), max_length selector (3 = 5 bytes, 7 = 1024).
  for (uint8_t prefix = 0; prefix < 4; ++prefix) {
    echo::LengthPrefixedOptions options{.prefix = static_cast<echo::LengthPrefix>(prefix),
                                        .max_length = 1024};
    Bytes wire;
    for (std::size_t size : {0, 1, 5, 200, 300}) {
      (void)echo::encode_length_prefixed(wire, Bytes(size, std::byte{'x'}), options);
    }
    for (uint8_t feeding : {0x00, 0x04, 0x08, 0x14, 0x20, 0x24}) {
      w.add(with_header({static_cast<uint8_t>(prefix | feeding), 7}, wire));
    }
    w.add(with_header({prefix, 3}, wire));  // a 5-byte limit: the longer ones overflow
    wire.resize(wire.size() - 100);         // a partial message: kTruncated after finish()
    w.add(with_header({static_cast<uint8_t>(prefix | 0x10), 7}, wire));
    w.add(with_header({static_cast<uint8_t>(prefix | 0x14), 7}, wire));
  }
  w.add(with_header({3, 7}, {std::byte{0x80}, std::byte{0x00}, std::byte{'x'}}));  // not minimal
  w.add(with_header({0x17, 7}, {std::byte{0x80}, std::byte{0x80}}));  // a partial varint, finish()
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
  // Header: bits 0-2 max_payload selector (2 = 16, 4 = 1024); bits 3-4 the split (0
  // whole, 1 random, 2 byte by byte), bit 5 finish(); bits 6-7 the property: 0 the
  // stream, 1-3 resync of records built from the input (garbage, a corrupted
  // record, nothing between them).
  auto header = [](uint8_t selector, uint8_t feeding, uint8_t property) {
    return static_cast<uint8_t>(selector | feeding << 3 | property << 6);
  };
  const Bytes plain = probe_stream({0, 5, 100});
  for (uint8_t feeding : {0, 1, 2, 4, 5, 6}) w.add(with_header({header(4, feeding, 0)}, plain));
  w.add(with_header({2}, probe_stream({3, 40, 16})));  // the 40-byte payload is too long
  Bytes garbled = probe_stream({8, 8, 8});
  garbled[echo::probe_record_size(8) + 30] ^= std::byte{0x10};  // a bad checksum
  garbled.insert(garbled.begin() + 10, 5, std::byte{'g'});      // garbage mid-record
  w.add(with_header({4}, garbled));
  w.add(with_header({header(4, 5, 0)}, garbled));
  Bytes truncated = probe_stream({20});
  truncated.resize(30);
  Bytes rest = probe_stream({1, 2});
  truncated.insert(truncated.end(), rest.begin(), rest.end());
  w.add(with_header({4}, truncated));
  Bytes tail = probe_stream({4, 30});
  tail.resize(tail.size() - 9);  // the last record cut short: kTruncated after finish()
  w.add(with_header({header(4, 4, 0)}, tail));
  w.add(with_header({header(4, 6, 0)}, tail));
  // Records: sequence and time (8 bytes each), u16 payload size, the payload; then
  // garbage (u8 size, the bytes) or the corrupted byte's u16 position and u8 mask.
  Bytes records;
  for (uint8_t i = 0; i < 2; ++i) {
    for (int k = 0; k < 16; ++k) records.push_back(std::byte{static_cast<uint8_t>(i + k)});
    records.push_back(std::byte{0});
    records.push_back(std::byte{6});
    for (uint8_t k = 0; k < 6; ++k) records.push_back(std::byte{static_cast<uint8_t>('a' + k)});
  }
  Bytes garbage = records;
  for (char b : std::string_view("\x05garbg")) garbage.push_back(static_cast<std::byte>(b));
  for (uint8_t feeding : {0, 1, 2}) w.add(with_header({header(4, feeding, 1)}, garbage));
  Bytes corrupt = records;
  corrupt.insert(corrupt.end(), records.begin(), records.begin() + 24);  // record C
  for (uint8_t b : {0, 30, 0x40}) corrupt.push_back(std::byte{b});       // byte 30 ^= 0x41
  for (uint8_t feeding : {0, 1, 2}) w.add(with_header({header(4, feeding, 2)}, corrupt));
  for (uint8_t feeding : {0, 2}) w.add(with_header({header(2, feeding, 3)}, records));
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
  // Mode bits 1-2: 0 the operations' chunks, 1 random boundaries, 2 at once.
  w.add(scenario(3, 40000, {{0, 20000}, {4, 0}, {3, 1}, {0, 19999}, {1, 10}}));
  w.add(scenario(5, 40000, {{0, 18000}, {3, 1}, {0, 21999}}));
  w.add(scenario(2, 300, {{0, 100}, {4, 0}, {3, 9}, {4, 0}, {0, 250}}));
  w.add(scenario(4, 100, {{0, 95}, {4, 0}, {3, 2}, {0, 10}}));
}

void server_loop_seeds(const fs::path& root) {
  SeedWriter w(root, "server_loop_fuzzer");
  // Header: u16 buffer size (64 + n mod 4033), u8 setup; then one byte per
  // choice of the fake kernel, taken as it asks (see server_loop_fuzzer.cc):
  // 1 at an epoll_wait is a client (u8 how, u16 n), 3 datagrams (u8 count,
  // u8 socket, per datagram u8 how, u8 s and for a GRO buffer u8 g); 0 is the
  // plain answer and, when nothing is ready, the end of the run.
  auto run = [](uint16_t buffer, uint8_t setup, std::initializer_list<uint8_t> choices) {
    Bytes out{std::byte{static_cast<uint8_t>(buffer >> 8)}, std::byte{static_cast<uint8_t>(buffer)},
              std::byte{setup}};
    for (uint8_t b : choices) out.push_back(std::byte{b});
    return out;
  };
  // Clients: how = ending (0 FIN, 1 RST, 2 wait) | listener << 2 | peer << 3 | size class << 5.
  w.add(run(4032, 0, {1, 0x00, 0, 20}));                 // 20 bytes, then FIN
  w.add(run(0, 0, {1, 0xc0, 0x0f, 0xa0}));               // 4,000 bytes, buffer 64
  w.add(run(500, 0, {1, 0x81, 0, 200, 1, 0x0a, 0, 7}));  // a reset; a waiting client
  w.add(run(100, 0x01,
            {1, 0xe4, 0x30, 0x00, 0, 0x29, 0x01, 0x02,                    // second listener, 12,288
             0x29, 0x04, 0x29, 0x01, 0x21, 0x02, 0x04}));                 // bytes; short transfers
  w.add(run(1000, 0, {1, 0x80, 0, 100, 0x03, 1, 0x80, 0, 100, 0x05}));    // EMFILE, ECONNABORTED
  w.add(run(1000, 0x04, {1, 0x02, 0, 9, 1, 0x0a, 0, 9, 1, 0x12, 0, 9}));  // --max-connections 1
  w.add(run(1000, 0x10, {1, 0x02, 0, 9, 1, 0x12, 0, 9, 1, 0x0a, 0, 9}));  // 1 per address
  w.add(run(1000, 0, {1, 0x80, 0, 100, 0, 0, 0xff}));                     // SIGTERM while busy
  w.add(run(1000, 0, {1, 0x80, 0, 100, 0x03}));                           // recv: ECONNRESET
  // Datagrams: how = peer | packet information << 2 | which local address << 3 | size class << 4.
  w.add(run(1000, 0, {3, 3, 0, 0x00, 10, 0x05, 20, 0x50, 0, 0x41, 5}));  // small, empty, pktinfo
  w.add(run(1000, 0x02,
            {3, 7, 1, 0x70, 0, 0x71, 1, 0x72, 2, 0x70, 1, 0x70, 0, 0x73, 2, 0x70, 1, 0x70,
             0}));                                              // around the merge limit
  w.add(run(1000, 0, {3, 1, 0, 0x80, 10, 70, 0x90, 0, 0xc2}));  // GRO buffers
  w.add(run(1000, 0, {3, 1, 0, 0xa0, 0, 0xb1, 3}));             // largest, truncated
  w.add(run(1000, 0,
            {3, 7,    0, 0x70, 0, 0x70, 1, 0x70, 0,    0x70, 1,   0x70,
             0, 0x70, 1, 0x70, 0, 0x70, 1, 0x0c, 0x0d, 0x06, 0x0b}));  // sendmmsg: EIO, refusals
  w.add(run(1000, 0x40, {3, 3, 0, 0x03, 10, 0x00, 10, 0x07, 10}));     // loop guard: own port
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
  server_loop_seeds(root);
  return 0;
}
