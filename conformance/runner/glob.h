// Shell-style globs on case ids: '*' matches any run of characters (dots
// included), '?' exactly one; everything else matches itself.
#pragma once

#include <string_view>

namespace echo::conformance {

[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text) noexcept;

}  // namespace echo::conformance
