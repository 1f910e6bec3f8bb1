/**
 * findUnitInDocument: next/previous invalid sequence and non-ASCII character
 * over disk bytes with edits applied, against a decode of the edited bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnitInDocument } from '../../extension/search/findUnitInDocument';
import { MapOverlay } from '../support/mapOverlay';
import { overlaidDocument } from '../support/piecesDocument';
import { decodeUnit, newUnit } from '../../shared/utf8';
import { backends } from '../support/inspectBackends';
import { randInt, rng, utf8Soup } from '../support/randomUtf8';

/** All unit starts of the wanted kind in `doc`, decoding from its start. */
function wantedStarts(doc: Uint8Array, kind: 'invalid' | 'nonAscii'): number[] {
  const out: number[] = [];
  const u = newUnit();
  for (let i = 0; i < doc.length; i += u.length) {
    decodeUnit(doc, i, doc.length, u);
    if (kind === 'invalid' ? u.status !== 'valid' : doc[i] >= 0x80) out.push(i);
  }
  return out;
}

for (const backend of backends) {
  test(`[${backend.name}] next/previous invalid and non-ASCII see unsaved edits`, async () => {
    const r = rng(4242);
    for (let round = 0; round < 200; round++) {
      // Half the files mostly ASCII (hits sparse, so zones decide), half dense with multi-byte units cut by edits.
      const ascii = round % 2 === 0 ? 0.85 : 0;
      const disk = Uint8Array.from(utf8Soup(r, 20 + randInt(r, 200)), (b) => (r() < ascii ? 0x61 : b));
      const src = await backend.open(disk);
      const ov = new MapOverlay();
      for (let e = randInt(r, 6); e > 0; e--) {
        const at = randInt(r, disk.length);
        ov.set(at, r() < 0.5 ? Uint8Array.of(0x61) : utf8Soup(r, Math.min(disk.length - at, 1 + randInt(r, 5))));
      }
      const doc = disk.slice();
      ov.applyTo(0, doc);
      for (const kind of ['invalid', 'nonAscii'] as const) {
        const starts = wantedStarts(doc, kind);
        for (let k = 0; k < 8; k++) {
          const from = randInt(r, doc.length + 1);
          const next = starts.find((s) => s >= from) ?? -1;
          const prev = [...starts].reverse().find((s) => s < from) ?? -1;
          const label = `round ${round} ${kind} from ${from}`;
          assert.equal(await findUnitInDocument(overlaidDocument(src, ov), kind, from, 'forward'), next, `${label} forward`);
          assert.equal(await findUnitInDocument(overlaidDocument(src, ov), kind, from, 'backward'), prev, `${label} backward`);
        }
      }
      src.close();
    }
  });
}
