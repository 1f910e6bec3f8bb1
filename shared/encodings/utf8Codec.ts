/**
 * UTF-8 as a TextCodec: a thin face over shared/utf8.ts, the one UTF-8
 * decoder (which the native scans and every older caller use directly).
 */
import { decodeUnit, newUnit, syncPoint } from '../utf8';
import type { TextCodec, TextUnit } from './types';
import { newTextUnit } from './types';

const scratch = newUnit();

export const utf8Codec: TextCodec = {
  id: 'utf-8',
  label: 'UTF-8',
  description: '1 to 4 bytes per character; invalid sequences flagged as TextDecoder replaces them',
  unitSize: 1,
  decodeUnit(bytes, i, end, _offset, out: TextUnit = newTextUnit()) {
    decodeUnit(bytes, i, end, scratch);
    out.length = scratch.length;
    out.codePoint = scratch.codePoint;
    out.status = scratch.status;
    return out;
  },
  syncPoint(bytes, at, floor) {
    return syncPoint(bytes, at, floor);
  },
  encode(text) {
    // Lone surrogates have no UTF-8 form (TextEncoder would write U+FFFD instead).
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
    if (lone) return { unencodable: lone[0] };
    return { bytes: new TextEncoder().encode(text) };
  },
};
