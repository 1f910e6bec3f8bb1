/**
 * What assistive technology sees of the editor, read from Chromium's own
 * accessibility tree (CDP Accessibility.getFullAXTree), not from our DOM
 * attributes: a focusable, multiselectable grid named after the file; the
 * bytes are painted on a canvas, and the cursor's row is mirrored as one
 * ARIA row (the column header stays out) with two gridcells per byte; the
 * cursor exposed through aria-activedescendant as a cell whose name
 * says offset, byte, class and character — following the cursor and the pane
 * (Tab); selected bytes marked selected in both panes; and a focus indicator
 * that visibly changes when the grid gains or loses focus.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { cellBox, editorState, openEditor, pagePixels, screenshot, waitForIdle } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

interface AxNode {
  nodeId: string;
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  properties?: { name: string; value: { value?: unknown; relatedNodes?: { backendDOMNodeId: number }[] } }[];
  backendDOMNodeId?: number;
}

async function axTree(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: AxNode[] };
    return nodes.filter((n) => !n.ignored);
  } finally {
    await cdp.detach();
  }
}

const prop = (n: AxNode, name: string): unknown => n.properties?.find((p) => p.name === name)?.value.value;
const role = (nodes: AxNode[], r: string): AxNode[] => nodes.filter((n) => n.role?.value === r);

/** The accessible node aria-activedescendant of the grid points at. */
function activeCell(nodes: AxNode[]): AxNode | undefined {
  const grid = role(nodes, 'grid')[0];
  const target = grid?.properties?.find((p) => p.name === 'activedescendant')?.value.relatedNodes?.[0]?.backendDOMNodeId;
  return nodes.find((n) => n.backendDOMNodeId === target);
}

/** The colour on screen at the middle of the cursor cell's top edge, and the theme's focus colour, as 'r,g,b'. */
async function cursorOutline(page: Page, cursor: number): Promise<{ outline: string; focus: string }> {
  const focus = await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.color = getComputedStyle(document.querySelector('.grid')!).getPropertyValue('--focus');
    document.body.appendChild(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c.replace(/[^\d,]/g, '').split(',').slice(0, 3).join(',');
  });
  const box = (await cellBox(page, cursor, 'hex'))!;
  const pixels = await pagePixels(page);
  // The bottom edge: row 0's top edge is also where the grid's own focus ring is drawn.
  return { outline: pixels.rgb(box.x + box.width / 2, box.y + box.height - 1).join(','), focus };
}

describe('editor webview: accessibility', () => {
  it('exposes a grid with rows and cells, the cursor as the active descendant, selection and focus', async () => {
    // "Hé🐍 abc\n": ASCII, a 2-byte and a 4-byte character.
    const ed = await openEditor(env.browser, env.files.write('ax.txt', bytesOf('Hé🐍 abc\n'.repeat(64))));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await waitForIdle(page);
      assert.deepEqual(await editorState(page), { topOffset: 0, cursor: 2, anchor: 1, pane: 'hex' });

      let nodes = await axTree(page);
      const grids = role(nodes, 'grid');
      assert.equal(grids.length, 1, 'one grid');
      assert.equal(grids[0].name?.value, 'ax.txt: hex and UTF-8 text, 768 bytes');
      assert.equal(prop(grids[0], 'focused'), true, 'the grid has focus');
      assert.equal(prop(grids[0], 'multiselectable'), true);
      assert.equal(prop(grids[0], 'readonly'), false);

      const rows = role(nodes, 'row');
      assert.equal(rows.length, 1, "the cursor's row, the column header is hidden");
      assert.equal(await page.locator('.grid [role=row]').getAttribute('aria-rowindex'), '1', 'the first of the file\'s rows');
      assert.deepEqual(role(nodes, 'rowheader').map((n) => n.name?.value), ['00000000'], 'the row is headed by its address');
      assert.equal(role(nodes, 'gridcell').length, 32, 'a hex and a text cell per byte');
      assert.equal(role(nodes, 'columnheader').length, 0);

      let active = activeCell(nodes);
      assert.equal(active?.role?.value, 'gridcell');
      assert.equal(active?.name?.value, 'Offset 0x2, byte A9, continuation byte, character U+00E9');

      // Selected bytes 1..2, in both panes, and nothing else.
      const selected = role(nodes, 'gridcell').filter((n) => prop(n, 'selected') === true).map((n) => n.name?.value);
      assert.deepEqual(selected, ['C3', 'Offset 0x2, byte A9, continuation byte, character U+00E9', 'é', ''], 'hex C3 A9, text é (drawn once, at its lead byte)');

      // Tab: the text pane; the active descendant follows it. Then on to the 4-byte character.
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      await waitForIdle(page);
      assert.equal((await editorState(page)).pane, 'text');
      nodes = await axTree(page);
      active = activeCell(nodes);
      const activeId = await page.locator('.grid').getAttribute('aria-activedescendant');
      assert.match(activeId ?? '', /^t-/, 'a text-pane cell');
      assert.match(active?.name?.value ?? '', /^Offset 0x3, byte F0, lead byte, character U\+1F40D$/);
      assert.equal(role(nodes, 'gridcell').filter((n) => prop(n, 'selected') === true).length, 2, 'one byte selected: its hex and text cell');

      // Focus indicator: the cursor box takes the theme's focus colour only while the grid has focus.
      // (Back to the hex pane first: the box is drawn solid in the pane that has the cursor.)
      await page.keyboard.press('Tab');
      await waitForIdle(page);
      const focused = await cursorOutline(page, 3);
      assert.equal(focused.outline, focused.focus, 'focused: the cursor is outlined in the focus colour');
      await screenshot(page, 'accessibility-focused');
      await page.evaluate(() => (document.activeElement as HTMLElement).blur());
      await waitForIdle(page);
      const blurred = await cursorOutline(page, 3);
      assert.notEqual(blurred.outline, blurred.focus, 'unfocused: no focus colour');
      nodes = await axTree(page);
      assert.equal(prop(role(nodes, 'grid')[0], 'focused'), undefined, 'and the grid no longer reports focus');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
