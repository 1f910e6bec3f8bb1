/**
 * The inspector view and the encoding report rendered by the real bundles in
 * headless Chromium, under the extension's strict CSP: what they show for
 * known bytes, and what they post back (byte order toggle, jump to offset).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, openView } from '../support/inspectChromium';
import type { InspectorState } from '../../shared/inspectMessages';
import type { ReportData } from '../../extension/inspect/encodingReport';

const bytesOf = (s: string) => Array.from(new TextEncoder().encode(s));

test('inspector: the snake at the cursor, its numbers, and the byte order toggle', async () => {
  const view = await openView('inspector');
  try {
    const { page } = view;
    assert.match(await page.locator('#root').innerText(), /Open a file with Hexmap/);
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    const bytes = bytesOf('ab🐍cdefgh');
    const state: InspectorState = {
      fileName: 'x.txt', fileSize: 100, cursor: 3, bytesOffset: 0, bytes,
      selection: { offset: 2, length: 4, chars: 1, lines: 1, invalid: 0, counting: false }, littleEndian: true,
    };
    await view.send({ type: 'state', state });
    const text = await page.locator('#root').innerText();
    for (const want of ['U+1F40D', 'F0 9F 90 8D', 'D83D DC0D', 'Other Symbol (So)', '4 bytes', 'Valid UTF-8', '4 bytes, 1 character, 1 line']) {
      assert.ok(text.includes(want), `shows ${want}\n${text}`);
    }
    // Numbers at the cursor byte (0x9F, offset 3): little-endian uint16 of 9F 90 = 0x909F.
    const le = new DataView(Uint8Array.from(bytes.slice(3)).buffer);
    assert.ok(text.includes(String(le.getUint16(0, true))), 'uint16 little-endian');
    assert.ok(text.includes(le.getBigUint64(0, true).toString()), 'uint64 little-endian');
    assert.ok(text.includes('10011111'), 'binary of 0x9F');
    await page.screenshot({ path: artifactPath('inspector-snake.png'), fullPage: true });

    await page.getByRole('button', { name: /Little-endian/ }).click();
    const after = await page.locator('#root').innerText();
    assert.ok(after.includes(String(le.getUint16(0, false))), 'uint16 big-endian after the toggle');
    assert.ok(after.includes('Big-endian'));
    assert.deepEqual((await view.posted()).slice(-1), [{ type: 'setLittleEndian', value: false }]);

    // An invalid byte: the reason, and no category.
    await view.send({ type: 'state', state: { ...state, bytes: [0x41, 0xed, 0xa0, 0x80, 0x41], cursor: 1, bytesOffset: 0 } });
    const bad = await page.locator('#root').innerText();
    assert.match(bad, /Invalid: encodes a UTF-16 surrogate/);
    assert.match(bad, /U\+FFFD/);
    // Fewer than 8 bytes left: 64-bit values are absent, shown as a dash.
    assert.match(bad, /int64\s*—/);
    await page.screenshot({ path: artifactPath('inspector-invalid.png'), fullPage: true });
  } finally {
    await view.close();
  }
});

test('inspector: the wider types are shown, and a value typed in is checked as typed and posted as one edit', async () => {
  const view = await openView('inspector');
  try {
    const { page } = view;
    // At the cursor: the EFI System Partition GUID as GPT stores it.
    const guid = [0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b];
    const state: InspectorState = {
      fileName: 'gpt.bin', fileSize: 1000, cursor: 0x400, bytesOffset: 0x3fd, bytes: [0, 0, 0, ...guid, 0x41],
      selection: { offset: 0x400, length: 1, counting: false }, littleEndian: true, editable: true,
    };
    await view.send({ type: 'state', state });
    const text = await page.locator('#root').innerText();
    for (const want of ['{C12A7328-F81F-11D2-BA4B-00A0C93EC93B}', '28732ac1-1ff8-d211-ba4b-00a0c93ec93b', 'int24', 'bfloat16', 'FILETIME', 'DOS date/time', 'ULEB128', '40 (1 byte)']) {
      assert.ok(text.includes(want), `shows ${want}\n${text}`);
    }
    const int8 = page.locator('[data-field="int8"]');
    await int8.dblclick();
    const box = page.getByRole('textbox', { name: 'New int8 value' });
    assert.equal(await box.inputValue(), '40');
    await box.fill('300');
    assert.match(await page.locator('.edit-problem').innerText(), /300 is out of range for int8 \(-128 to 127\)/);
    await box.press('Enter');
    assert.deepEqual((await view.posted()).slice(1), [], 'an invalid value is not sent');
    // A state update while typing (the host re-sends on every change) keeps the box and its text.
    await view.send({ type: 'state', state });
    await page.getByRole('textbox', { name: 'New int8 value' }).fill('-1');
    await page.getByRole('textbox', { name: 'New int8 value' }).press('Enter');
    assert.deepEqual((await view.posted()).slice(1), [{ type: 'editValue', offset: 0x400, field: 'int8', text: '-1', littleEndian: true }]);
    assert.equal(await page.getByRole('textbox').count(), 0, 'the box closes after Enter');
    await page.screenshot({ path: artifactPath('inspector-wide-types.png'), fullPage: true });

    // The keyboard path: Enter on a value opens it; Escape closes without sending.
    await page.locator('[data-field="guidRfc"]').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: /New UUID/ }).press('Escape');
    assert.equal((await view.posted()).length, 2);

    // The host refused: the reason is shown.
    await view.send({ type: 'editError', field: 'uint64', offset: 0x400, message: 'The file cannot be edited: it was opened read-only.' });
    assert.match(await page.getByRole('alert').innerText(), /Could not set uint64: The file cannot be edited/);
    // Read-only documents: nothing to edit.
    await view.send({ type: 'state', state: { ...state, editable: false } });
    assert.equal(await page.locator('[data-field]').count(), 0);
  } finally {
    await view.close();
  }
});

test('report: facts, verdict, and a click on an invalid offset asks the host to jump there', async () => {
  const view = await openView('report');
  try {
    const { page } = view;
    const data: ReportData = {
      fileName: 'mixed.bin', uri: 'file:///tmp/mixed.bin', fileSize: 1234, includesUnsavedEdits: true, backend: 'mapped',
      durationMs: 12, computedAt: new Date(0).toISOString(),
      stats: {
        bytes: 1234, chars: 1100, ascii: 1000, twoByte: 50, threeByte: 30, fourByte: 17, invalid: 3, invalidOffsets: [16, 255, 1000],
        nul: 2, lf: 10, crlf: 4, cr: 1, bom: false,
      },
    };
    await view.send({ type: 'report', data, stale: false });
    await page.getByText('Bytes − characters').waitFor({ timeout: 10_000 });
    const text = await page.locator('#root').innerText();
    for (const want of ['Not valid UTF-8: 3 invalid sequences', '1,234', '1,100', 'CRLF', '0x10', '0xFF', '0x3E8', 'includes unsaved edits', 'NUL']) {
      assert.ok(text.includes(want), `shows ${want}\n${text}`);
    }
    await page.screenshot({ path: artifactPath('report.png'), fullPage: true });
    await page.getByRole('button', { name: '0xFF' }).click();
    await page.getByRole('button', { name: /Refresh/ }).click();
    assert.deepEqual((await view.posted()).slice(1), [{ type: 'reveal', offset: 255 }, { type: 'refresh' }]);
    await view.send({ type: 'report', data, stale: true });
    // The page handles the message on its own turn: wait for the notice instead of reading at once.
    await page.getByText(/changed since this report/).waitFor({ timeout: 10_000 });
  } finally {
    await view.close();
  }
});
