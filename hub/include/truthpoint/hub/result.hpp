// The hub speaks core's result idiom; these names keep hub code short.
#pragma once

#include "truthpoint/core/result.hpp"

namespace truthpoint::hub {
using core::Error;
using core::ErrorCode;
using core::make_busy;
using core::make_error;
using core::Ok;
using core::Result;
using core::Status;
}  // namespace truthpoint::hub
