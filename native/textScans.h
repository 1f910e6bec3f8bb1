// Whole-range text statistics in the encodings other than UTF-8, run like
// the other scans (async_scan.h: on Hexmap's background worker, one bounded
// step per turn, cancel and progress, inside the fault guard):
//
// - single-byte encodings: a byte histogram, the CRLF pairs, and the first
//   offsets of the bytes a 256-entry table flags (windows-1252's undefined
//   bytes, ASCII's 80..FF); TypeScript turns it into counts per encoding.
// - UTF-16LE / UTF-16BE: the units paired into characters exactly as
//   WHATWG's TextDecoder pairs them (shared/encodings/utf16.ts is the twin),
//   with line breaks, NULs and the first invalid offsets.
#pragma once

#include <napi.h>

#include "mapped_file.h"

namespace hexmap {

// textStats(kind 0=single-byte 1=utf-16le 2=utf-16be, offset, length, midUnit, maxInvalidOffsets,
//           stopAtInvalid, flagged: Uint8Array(256) | undefined, onProgress?) -> { promise, cancel }
// `midUnit`: the range starts on the second byte of a UTF-16 unit (that byte is one invalid character).
Napi::Value StartTextStats(const Napi::CallbackInfo& info, MappedFile& file);

}  // namespace hexmap
