// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven, as used
// by iSCSI, SCTP and ext4. Chosen for the probe record's checksum because it
// detects all burst errors up to 32 bits and every odd number of bit flips.
//
// Example:
//   crc32c(as_bytes("123456789"))  == 0xE3069283   // the standard check value
//   crc32c_extend(crc32c(a), b)    == crc32c(a followed by b)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace echo {

// The CRC-32C of `data` (initial value and final xor 0xFFFFFFFF applied).
[[nodiscard]] std::uint32_t crc32c(std::span<const std::byte> data) noexcept;

// Continues a CRC-32C: given crc32c(a), returns crc32c(a + data).
[[nodiscard]] std::uint32_t crc32c_extend(std::uint32_t crc,
                                          std::span<const std::byte> data) noexcept;

}  // namespace echo
