// EngineError -> JS Error with .code (and .syscall, .kind, .path when known), the shape
// extension/engine/mappedSource.ts turns into a HexmapError. One conversion for the
// synchronous calls (thrown) and the worker jobs (promise rejections).
#pragma once

#include <napi.h>

#include <string>

#include "engine_error.h"

namespace hexmap {

Napi::Error JsError(Napi::Env env, const EngineError& e, const std::string& path);

}  // namespace hexmap
