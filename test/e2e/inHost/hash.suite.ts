// "Hexmap: Compute Hash…" inside the real extension host: the worker thread starts there (from the bundled
// source text), reads the file, and hashes the bytes the user sees, unsaved edits included, of the whole
// document or of the selection. Checked against node:crypto / zlib on the same bytes.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import * as vscode from 'vscode';
import { activeEditorFor, postEdit, postRaw, whenWebviewLive } from '../support/inHostApi';
import { patternBytes } from '../support/inHostFiles';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { closeAllEditors, fixture, openInHexmap, waitFor } from '../support/inHostVscode';

const ALL = ['crc32', 'adler32', 'md5', 'sha1', 'sha256'];

function expected(bytes: Uint8Array): Record<string, string> {
  let a = 1;
  let b = 0;
  for (const x of bytes) { a = (a + x) % 65521; b = (b + a) % 65521; }
  return {
    crc32: crc32(bytes).toString(16).padStart(8, '0'),
    adler32: ((b * 65536 + a) >>> 0).toString(16).padStart(8, '0'),
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

describe('hash', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('the whole document with unsaved edits, then the selection', async () => {
    const size = 3 * 1024 * 1024 + 5;
    const uri = fixture('hash', 'doc.bin', patternBytes(size));
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    await whenWebviewLive(editor);
    postEdit(editor, 10, Uint8Array.of(1, 2, 3));
    postEdit(editor, size - 1, Uint8Array.of(0xee));
    await waitFor('the edits to apply', () => editor.model.isDirty && editor.model.unsavedRanges().length === 2);
    const seen = await editor.model.read(0, size);
    const whole = await vscode.commands.executeCommand('hexmap.computeHash', { algorithms: ALL });
    assert.deepEqual(whole, expected(seen));

    // Select [8, 2 MiB + 8] as the webview reports a drag, then hash the selection.
    postRaw(editor, { type: 'selection', cursor: 2 * 1024 * 1024 + 8, anchor: 8, focusedPane: 'hex' });
    await waitFor('the selection', () => editor.anchor === 8);
    const part = await vscode.commands.executeCommand('hexmap.computeHash', { algorithms: ['sha256', 'crc32'] });
    const sel = expected(seen.subarray(8, 2 * 1024 * 1024 + 9));
    assert.deepEqual(part, { sha256: sel.sha256, crc32: sel.crc32 });
  });

  it('without a Hexmap editor it says so and hashes nothing', async () => {
    await closeAllEditors();
    assert.equal(await vscode.commands.executeCommand('hexmap.computeHash', { algorithms: ALL }), undefined);
  });
});
