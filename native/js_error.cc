#include "js_error.h"

namespace hexmap {

Napi::Error JsError(Napi::Env env, const EngineError& e, const std::string& path) {
  Napi::Error error = e.code == "ERR_OUT_OF_RANGE" ? Napi::RangeError::New(env, e.what()) : Napi::Error::New(env, e.what());
  error.Set("code", Napi::String::New(env, e.code));
  if (!e.syscall.empty()) error.Set("syscall", Napi::String::New(env, e.syscall));
  if (!e.kind.empty()) error.Set("kind", Napi::String::New(env, e.kind));
  if (!path.empty()) error.Set("path", Napi::String::New(env, path));
  return error;
}

}  // namespace hexmap
