// Invalid sequences for the scrollbar: a real whole-file scan (documentUtf8Stats, the one the encoding
// report runs) over a real file, handed to showInvalidMarks as the report does; its marks reach the
// editors of that document only, and are taken away when the bytes change (a save alone keeps them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { documentUtf8Stats } from '../../extension/search/countInDocument';
import { showInvalidMarks, wholeFileScanned } from '../../extension/overview/invalidMarks';
import type { DocumentModel } from '../../extension/document/documentModel';
import type { InvalidMarksMessage } from '../../shared/protocol';
import { docBackends, TempDir } from '../support/documentFiles';

for (const backend of docBackends()) {
  test(`[${backend.name}] a whole-file scan's invalid offsets go to its document's editors until the bytes change`, async () => {
    const dir = new TempDir();
    try {
      const bytes = new Uint8Array(10_000).fill(0x41);
      for (const at of [5, 4000, 9999]) bytes[at] = 0xff;
      const model = new HexDocumentModel(await backend.open(dir.file('a.bin', bytes)));
      const other = new HexDocumentModel(await backend.open(dir.file('b.bin', new Uint8Array(10))));
      const posted: [DocumentModel, InvalidMarksMessage][] = [];
      const marks = showInvalidMarks((m, message) => posted.push([m, message]));
      wholeFileScanned(model, await documentUtf8Stats(model, { maxInvalidOffsets: 2 }));
      assert.equal(posted.length, 1);
      assert.equal(posted[0][0], model);
      assert.deepEqual(posted[0][1], { type: 'invalidMarks', offsets: [5, 4000], total: 3 }, 'capped list, exact total');
      assert.deepEqual(marks.latest(model)?.offsets, [5, 4000]);
      assert.equal(marks.latest(other), undefined);
      other.edit(0, Uint8Array.of(1), 'Edit');
      assert.equal(posted.length, 1, 'another document changing clears nothing');
      model.edit(0, Uint8Array.of(0x42), 'Edit');
      assert.deepEqual(posted[1], [model, { type: 'invalidMarks', offsets: [], total: 0 }]);
      assert.equal(marks.latest(model), undefined);
      marks.dispose();
      model.dispose();
      other.dispose();
    } finally {
      dir.cleanup();
    }
  });
}
