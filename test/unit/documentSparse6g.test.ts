// The edit/undo/redo/save property test on a 6 GiB sparse file: offsets past
// 2^32, edits scattered over the whole file and at its very last bytes, every
// save through the real journaled save path, the disk checked through a
// separate descriptor. The file is sparse (never written in full) and deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { docBackends, rng, TempDir } from '../support/documentFiles';
import { runEditProperty } from '../support/documentProperty';
import { runPieceProperty } from '../support/pieceProperty';

const SIZE = 6 * 2 ** 30;

for (const backend of docBackends()) {
  test(`[${backend.name}] property on a 6 GiB sparse file: edits scattered and at the very end`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.join('six.bin');
      writeFileSync(path, new Uint8Array(0));
      truncateSync(path, SIZE);
      const source = await backend.open(path);
      assert.equal(source.size, SIZE);
      const next = rng(backend.name === 'file' ? 606 : 607);
      const { ops } = await runEditProperty({
        source, path, size: SIZE, base: () => 0, journalDir: dir.join('journal'), next, steps: 160, checkAll: false,
        pickOffset: (len) => {
          const r = next();
          if (r < 0.25) return SIZE - len - Math.floor(next() * 4); // the very end
          if (r < 0.35) return 2 ** 32 - Math.floor(next() * 8); // across 4 GiB
          if (r < 0.45) return Math.floor(next() * 64); // the start
          return Math.floor(next() * (SIZE - len));
        },
      });
      assert.ok(ops.save >= 5 && ops.edit >= 50, JSON.stringify(ops));
      source.close();
      assert.ok(statSync(path).blocks * 512 < 64 << 20, 'the file stayed sparse: only edited pages were written');
    } finally {
      dir.cleanup();
    }
  });
}

// The piece model on the same 6 GiB sparse file: overwrites anywhere (past
// 2^32, at the very end), inserts and deletes in the last 64 KiB so a save
// moves only that much; saves through the SnapshotSource contract.
for (const backend of docBackends()) {
  test(`[${backend.name}] piece property on a 6 GiB sparse file: size changes near the end`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.join('six-pieces.bin');
      writeFileSync(path, new Uint8Array(0));
      truncateSync(path, SIZE);
      const source = await backend.open(path);
      const next = rng(backend.name === 'file' ? 616 : 617);
      const ops = await runPieceProperty({
        source, path, size: SIZE, base: () => 0, next, steps: 160, tailStart: SIZE - (64 << 10), checkAll: false,
      });
      assert.ok(ops.save >= 5 && ops.insert + ops.delete >= 10, JSON.stringify(ops));
      source.close();
      assert.ok(statSync(path).blocks * 512 < 64 << 20, 'the file stayed sparse: only edited pages were written');
    } finally {
      dir.cleanup();
    }
  });
}
