/**
 * The obvious search, for checking the real one: every start, every byte; `??` bytes (mask 0) match
 * anything, and ignoreCase folds ASCII letters only.
 */
import type { FindQuery } from '../../extension/document/documentModel';

export function naiveFind(doc: Uint8Array, q: FindQuery): number[] {
  const out: number[] = [];
  const hit = (i: number) => {
    for (let k = 0; k < q.pattern.length; k++) {
      const m = q.mask ? q.mask[k] : 0xff;
      const a = doc[i + k];
      const b = q.pattern[k];
      const letter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
      if (q.ignoreCase && letter && m === 0xff) {
        if (String.fromCharCode(a).toLowerCase() !== String.fromCharCode(b).toLowerCase()) return false;
      } else if ((a & m) !== (b & m)) return false;
    }
    return true;
  };
  if (!q.backward) {
    for (let i = q.from; i + q.pattern.length <= doc.length && out.length < q.maxMatches; i++) if (hit(i)) out.push(i);
  } else {
    for (let i = Math.min(q.from - 1, doc.length - q.pattern.length); i >= 0 && out.length < q.maxMatches; i--) if (hit(i)) out.push(i);
  }
  return out;
}
