// The lecture's client, without its bugs: the echo is written as raw bytes
// (never used as a printf format or cut at a NUL) and compared with the word.
#include <unistd.h>

#include <string>
#include <vector>

#include "reference/client/compare.h"
#include "reference/client/modes.h"
#include "reference/client/transfer.h"

namespace echo::client {

ExitReason run_word(const ClientConfig& config, Connection& connection) {
  std::span<const std::byte> word = as_bytes(config.word);
  std::vector<std::byte> echo;
  ExitReason exchanged = exchange(config, connection.fd.get(), word, echo);
  if (!exchanged.ok()) return exchanged;
  if (first_difference(word, echo)) {
    return failure(ExitCode::kMismatch, mismatch_message(word, echo));
  }
  std::span<const std::byte> prefix = as_bytes("Received: ");
  std::vector<std::byte> line(prefix.begin(), prefix.end());
  line.insert(line.end(), echo.begin(), echo.end());
  line.push_back(std::byte{'\n'});
  return write_output(STDOUT_FILENO, line);
}

}  // namespace echo::client
