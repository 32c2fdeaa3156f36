// SHA-256 (FIPS 180-4) of a byte string, as lower-case hex: the name a corpus
// file gets (corpora/<target>/<sha256>, as tools/fuzz-corpus-add names it).
//
// Example:
//   sha256_hex(as_bytes(std::string_view("abc")))
//   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace echo::conformance {

[[nodiscard]] std::string sha256_hex(std::span<const std::byte> data);

}  // namespace echo::conformance
