// E2E helper (owner: e2e). Reads what the Hexmap webview SHOWS, from inside its nested frames: the visible
// rows' addresses, hex cells and text-pane glyphs with their classes, the cursor, the loading flag. It reads
// the DOM the user sees (webview/editor/rowRenderer.ts), not the editor's internal state.
import type { FrameLocator } from 'playwright-core';

export interface ShownCell {
  offset: number;
  /** Hex text of the cell ("4F"), "··" while loading, "" past the end. */
  hex: string;
  /** The hex cell's class list (k-a ascii, k-l lead, k-c continuation, k-i invalid, uns unsaved, sel, cur ...). */
  hexClass: string;
  /** Glyph drawn in the text pane at this byte (only at a character's first byte; "" elsewhere). */
  glyph: string;
  glyphClass: string;
}

export interface ShownView {
  topOffset: number;
  cursor: number;
  /** The pane typing goes to: 'hex' or 'text'. */
  pane: string;
  loading: boolean;
  bytesPerRow: number;
  cells: ShownCell[];
}

/** Everything visible in the editor, as rendered. */
export async function readView(frame: FrameLocator): Promise<ShownView> {
  return frame.locator('.hexmap').first().evaluate((root) => {
    const rows = Array.from(root.querySelectorAll<HTMLElement>('.grid .row')).filter((r) => !r.classList.contains('past-end'));
    const cells: ShownCell[] = [];
    let bytesPerRow = 0;
    for (const row of rows) {
      const addr = row.querySelector('.addr')?.textContent ?? '';
      if (!addr) continue;
      const base = parseInt(addr, 16);
      const hex = Array.from(row.querySelectorAll<HTMLElement>('.hex .hc'));
      const text = Array.from(row.querySelectorAll<HTMLElement>('.txt .tc'));
      bytesPerRow = hex.length;
      hex.forEach((h, i) => {
        const g = text[i]?.querySelector<HTMLElement>('.g');
        cells.push({ offset: base + i, hex: h.textContent ?? '', hexClass: h.className, glyph: g?.textContent ?? '', glyphClass: g?.className ?? '' });
      });
    }
    const ds = (root as HTMLElement).dataset;
    return { topOffset: Number(ds.topOffset), cursor: Number(ds.cursor), pane: ds.pane ?? '', loading: ds.loading === 'true', bytesPerRow, cells };
  });
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
