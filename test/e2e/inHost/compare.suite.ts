// Compare in a real VS Code: the explorer's "Select for Compare" / "Compare with Selected" open both files
// in Hexmap side by side, the comparison re-aligns after an inserted byte, F7 / Shift+F7 move both cursors,
// an edit on one side updates the result, and "Copy Difference to the Other Side" is one undo step.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompareSummary, DiffRange } from '../../../extension/compare/types';
import { activateHexmap, closeAllEditors, fixture, hexmapTab, waitFor } from '../support/inHostVscode';
import { hexmapEditors, postEdit, postRaw, whenWebviewLive, type ActiveEditorHandle } from '../support/inHostApi';
import { after, afterEach, describe, it } from '../support/inHostHarness';

interface ViewHandle {
  left: ActiveEditorHandle;
  right: ActiveEditorHandle;
  readonly summary: CompareSummary | undefined;
  readonly live: { stale: boolean };
  readonly state: { current: number };
}
type Api = { compare: { comparisons: readonly ViewHandle[] } };

/** 64 KiB of patterned bytes; the right file has one byte inserted at 40,000 and byte 10 changed. */
function pair(): { left: Uint8Array; right: Uint8Array } {
  const left = new Uint8Array(64 << 10);
  for (let i = 0; i < left.length; i++) left[i] = (i * 131 + (i >> 9) * 17) & 255;
  const right = new Uint8Array(left.length + 1);
  right.set(left.subarray(0, 40_000));
  right[40_000] = left[40_000] ^ 0x80;
  right.set(left.subarray(40_000), 40_001);
  right[10] ^= 0xff;
  return { left, right };
}

async function openComparison(name: string): Promise<ViewHandle> {
  const { left, right } = pair();
  const a = fixture('compare', `${name}-left.bin`, left);
  const b = fixture('compare', `${name}-right.bin`, right);
  await vscode.commands.executeCommand('hexmap.selectForCompare', a);
  await vscode.commands.executeCommand('hexmap.compareWithSelected', b);
  const { api } = await activateHexmap<Api>();
  const view = await waitFor('the comparison to finish', () => {
    const v = api.compare.comparisons.find((c) => c.right.uri.toString() === b.toString());
    return v?.summary?.complete && !v.live.stale ? v : undefined;
  }, 20_000);
  assert.ok(hexmapTab(a) && hexmapTab(b), 'both files are open in Hexmap');
  assert.equal(vscode.window.tabGroups.all.length, 2, 'side by side');
  return view;
}

const expected: DiffRange[] = [
  { kind: 'changed', offsetA: 10, lengthA: 1, offsetB: 10, lengthB: 1 },
  { kind: 'inserted', offsetA: 40_000, lengthA: 0, offsetB: 40_000, lengthB: 1 },
];

describe('compare', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('Compare with Selected opens both side by side; an inserted byte is one insertion, not a different rest', async () => {
    const view = await openComparison('open');
    assert.deepEqual(view.summary?.ranges, expected);
    assert.equal(view.summary?.changedBytes, 1);
    assert.equal(view.summary?.onlyInB, 1);
  });

  it('F7 / Shift+F7 move both cursors to the next / previous difference', async () => {
    const view = await openComparison('navigate');
    await whenWebviewLive(view.left);
    await whenWebviewLive(view.right);
    await vscode.commands.executeCommand('hexmap.nextDifference');
    await waitFor('both cursors at 10', () => view.left.cursor === 10 && view.right.cursor === 10);
    await vscode.commands.executeCommand('hexmap.nextDifference');
    await waitFor('both cursors at 40,000', () => view.left.cursor === 40_000 && view.right.cursor === 40_000);
    assert.equal(view.state.current, 1);
    await vscode.commands.executeCommand('hexmap.previousDifference');
    await waitFor('back at 10', () => view.right.cursor === 10);
  });

  it('an edit on one side updates the comparison; copying a difference is one edit that undo takes back', async () => {
    const view = await openComparison('live');
    await whenWebviewLive(view.left);
    await whenWebviewLive(view.right);
    postEdit(view.right, 20_000, Uint8Array.of(0x00, 0x01, 0x02, 0x03));
    await waitFor('the comparison to see the edit', () => !view.live.stale && view.summary?.rangeCount === 3, 15_000);
    // Move to the difference at 10 and copy it from the right (active) to the left.
    await vscode.commands.executeCommand('hexmap.nextDifference');
    await waitFor('cursor at 10', () => view.right.cursor === 10);
    await vscode.commands.executeCommand('hexmap.copyDifferenceToOtherSide');
    await waitFor('left has the right byte at 10', () => !view.live.stale && view.summary?.rangeCount === 2, 15_000);
    assert.equal(hexmapTab(view.left.uri)?.isDirty, true, 'the copy is an unsaved edit of the left file');
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo restores the difference', () => !view.live.stale && view.summary?.rangeCount === 3, 15_000);
  });
  it('scroll lock: scrolling one side scrolls the other to the facing offset; copying an insertion evens the sizes (one undo)', async () => {
    const view = await openComparison('scroll');
    await whenWebviewLive(view.left);
    await whenWebviewLive(view.right);
    // The left webview reports a scroll to 50,000: past the insertion, the right side faces 50,001.
    postRaw(view.left, { type: 'viewport', topOffset: 50_000 });
    const right = view.right.session as unknown as { topOffset: number };
    await waitFor('the right side scrolled to the facing offset', () => right.topOffset === 50_001);
    // Copy the inserted byte from the left (which lacks it): the right side loses it, and the sizes agree.
    await vscode.commands.executeCommand('hexmap.nextDifference');
    await waitFor('both cursors at 10', () => view.left.cursor === 10 && view.right.cursor === 10);
    await vscode.commands.executeCommand('hexmap.nextDifference');
    await waitFor('cursors at the insertion', () => view.left.cursor === 40_000 && view.right.cursor === 40_000);
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    await waitFor('the left side active', async () => (await hexmapEditors()).active?.uri.toString() === view.left.uri.toString());
    await vscode.commands.executeCommand('hexmap.copyDifferenceToOtherSide');
    await waitFor('the right side lost the inserted byte', () => view.right.model.size === view.left.model.size, 15_000);
    await waitFor('the comparison re-ran over the new sizes', () => !view.live.stale && view.summary?.rangeCount === 1 && view.summary.onlyInB === 0, 15_000);
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo brings the insertion back', () => !view.live.stale && view.summary?.onlyInB === 1 && view.right.model.size === view.left.model.size + 1, 15_000);
  });
});
