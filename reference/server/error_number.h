// The errno value of an Error from core/net (which always uses the generic
// category). Reading value() alone avoids a virtual call on the category,
// which sanitizers cannot verify while descriptors are exhausted (EMFILE).
#pragma once

#include "core/util/result.h"

namespace echo::server {

[[nodiscard]] inline int error_number(const Error& error) noexcept { return error.code.value(); }

}  // namespace echo::server
