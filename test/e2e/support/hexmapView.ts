// E2E helper. Reads what the Hexmap webview SHOWS, from inside its nested frames: the visible rows'
// addresses, hex cells and text-pane glyphs with their classes, the cursor, the loading flag. The grid is
// painted on a canvas; the editor reports the draw list that canvas was painted from
// (webview/editor/gridView.ts: shown()), with each cell's box, so a test can also click a cell where it is drawn.
import type { FrameLocator } from 'playwright-core';

/** Selector that is visible once the Hexmap editor has drawn its first frame. */
export const HEXMAP_READY = '.hexmap[data-top-offset] .grid .grid-canvas';

export interface ShownCell {
  offset: number;
  /** Hex text of the cell ("4F"), "··" while loading, "" past the end. */
  hex: string;
  /** The hex cell's class list (k-a ascii, k-l lead, k-c continuation, k-i invalid, uns unsaved, sel, cur ...). */
  hexClass: string;
  /** Glyph drawn in the text pane at this byte (only at a character's first byte; "" elsewhere). */
  glyph: string;
  glyphClass: string;
  /** Where the hex and text cells are drawn, relative to the grid element's top-left corner (CSS px). */
  hexBox: { x: number; y: number; width: number; height: number };
  textBox: { x: number; y: number; width: number; height: number };
}

export interface ShownView {
  topOffset: number;
  cursor: number;
  /** The pane typing goes to: 'hex' or 'text'. */
  pane: string;
  loading: boolean;
  /** 'insert' or 'overwrite': what typing and paste do. */
  mode: string;
  bytesPerRow: number;
  cells: ShownCell[];
}

/** Everything visible in the editor, as painted. */
export async function readView(frame: FrameLocator): Promise<ShownView> {
  return frame.locator('.hexmap').first().evaluate((root) => {
    type Box = { x: number; y: number; width: number; height: number };
    type Row = { cells: { offset: number; hex: string; hexClass: string; glyph: string; glyphClass: string; hexBox: Box; textBox: Box }[] };
    const editor = (window as unknown as { hexmapEditor?: { renderer: { shown(): Row[] } } }).hexmapEditor;
    const grid = root.querySelector('.grid')!.getBoundingClientRect();
    const rel = (b: Box): Box => ({ x: b.x - grid.left, y: b.y - grid.top, width: b.width, height: b.height });
    const rows = editor ? editor.renderer.shown() : [];
    const cells: ShownCell[] = rows.flatMap((r) => r.cells.map((c) => ({
      offset: c.offset, hex: c.hex, hexClass: c.hexClass, glyph: c.glyph, glyphClass: c.glyphClass, hexBox: rel(c.hexBox), textBox: rel(c.textBox),
    })));
    const ds = (root as HTMLElement).dataset;
    return { topOffset: Number(ds.topOffset), cursor: Number(ds.cursor), pane: ds.pane ?? '', loading: ds.loading === 'true', mode: ds.mode ?? '', bytesPerRow: rows[0]?.cells.length ?? 0, cells };
  });
}

/** Clicks a byte's cell in `pane` where it is painted, as a user does (the cell must be on screen). */
export async function clickCell(frame: FrameLocator, offset: number, pane: 'hex' | 'text'): Promise<void> {
  const cell = cellAt(await readView(frame), offset);
  if (!cell) throw new Error(`cell 0x${offset.toString(16)} is not on screen`);
  const box = pane === 'hex' ? cell.hexBox : cell.textBox;
  await frame.locator('.hexmap .grid').click({ position: { x: box.x + box.width / 2, y: box.y + box.height / 2 } });
}

/** Waits until no visible cell is loading and the predicate holds on what is shown. */
export async function waitForView(frame: FrameLocator, what: string, ok: (v: ShownView) => boolean, timeoutMs = 15_000): Promise<ShownView> {
  const deadline = Date.now() + timeoutMs;
  let last: ShownView | undefined;
  for (;;) {
    try {
      last = await readView(frame);
      if (!last.loading && last.cells.length > 0 && ok(last)) return last;
    } catch { /* frame re-created; retry */ }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last view: top=${last?.topOffset} cursor=${last?.cursor} loading=${last?.loading} cells=${last?.cells.length}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function cellAt(view: ShownView, offset: number): ShownCell | undefined {
  return view.cells.find((c) => c.offset === offset);
}

export const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
