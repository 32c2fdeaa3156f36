#include "core/util/result.h"

#include <cstring>

namespace echo {

Error system_error(std::string what, int errno_value) {
  what += ": ";
  what += std::strerror(errno_value);
  return Error{std::move(what), std::error_code(errno_value, std::generic_category())};
}

}  // namespace echo
