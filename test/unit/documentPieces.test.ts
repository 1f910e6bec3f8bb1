// The piece model against a plain reference, byte for byte, on real files of
// 0, 1 and a few thousand bytes: random inserts, deletes, overwrites,
// batches, undo, redo, revert and saves through the SnapshotSource contract
// (with edits, undos and reverts between its calls and windows read while
// bytes move), the disk checked through a separate descriptor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { runPieceProperty } from '../support/pieceProperty';

for (const backend of docBackends()) {
  for (const size of [0, 1, 3000]) {
    test(`[${backend.name}] piece property on a ${size}-byte file`, async () => {
      const dir = new TempDir();
      try {
        for (let round = 0; round < (size === 3000 ? 4 : 6); round++) {
          const next = rng(1000 * size + round + (backend.name === 'mapped' ? 7 : 0));
          const initial = randomBytes(next, size);
          const path = dir.file(`f${round}.bin`, initial);
          const source = await backend.open(path);
          const ops = await runPieceProperty({
            source, path, size, base: (i) => initial[i], next, steps: 250, tailStart: 0, checkAll: true,
          });
          if (round === 0) console.log(`${backend.name} ${size}: ${JSON.stringify(ops)}`);
          assert.ok(ops.save >= 10 && ops.insert + ops.delete >= 20, JSON.stringify(ops));
          source.close();
        }
      } finally {
        dir.cleanup();
      }
    });
  }
}
