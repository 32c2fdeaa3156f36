// The seeded script generator of the live fuzzer: every script is a pure
// function of (seed, options), so a run is reproducible from its --seed and a
// script's index. The mix is weighted toward where echo servers break:
// payloads with NUL, CR, LF, CR LF, bytes >= 0x80, telnet and terminal control
// bytes, printf formats, long runs of one byte, sizes around buffer and
// segment sizes (1023/1024/1025 ... 65535/65536/65537) up to several MiB,
// writes split anywhere; several connections at once, half-close, close and
// reset mid-echo, reads held or trickled; datagrams of 0 to 65,507 bytes,
// bursts and several sockets. Most scripts are small, so that a run makes
// thousands of them a second; large and slow ones are rare.
//
// Example:
//   Script s = generate_script(derive_seed(run_seed, index), {.udp = false});
#pragma once

#include <cstdint>

#include "conformance/explore/script.h"

namespace echo::conformance::explore {

struct GeneratorOptions {
  bool tcp = true;  // scripts may open TCP connections
  bool udp = true;  // scripts may open UDP sockets (at least one of the two)
};

// A valid (validate()), canonical script.
[[nodiscard]] Script generate_script(std::uint64_t seed, const GeneratorOptions& options);

// One payload of about `size` bytes (exactly `size` for datagrams), as the
// generator makes them; exposed for the tests and the benchmark.
[[nodiscard]] Payload generate_payload(std::uint64_t seed, std::uint64_t size);

}  // namespace echo::conformance::explore
