/**
 * Which rows of a new frame look exactly as they did in the previous one.
 *
 * WHY: a wheel notch moves the view by a few rows, so most rows of the new
 * frame were already painted — only higher or lower. The painter moves the
 * old pixels by that distance (one copy of the canvas) and paints only the
 * rows that are new or changed, instead of some 1,500 text draws and their
 * rasterization every frame. A row is reused only when every cell of it
 * (flags, hex text, glyph, span, bookmark colour) and its being the cursor's row are equal,
 * so what is on screen is what a full repaint would show.
 */
import { Cell, type DrawList } from './drawList';

/**
 * Sets out[r] to 1 for each drawn row r of `now` whose file row was drawn
 * in `before` with identical content, and whole (`wasWhole(o)`: drawn row o
 * of `before` lay entirely on the canvas); with `focusChanged`, rows with a
 * selected byte or the cursor are painted again. False when none is reusable.
 */
export function reusableRows(now: DrawList, before: DrawList, out: Uint8Array, wasWhole: (row: number) => boolean, focusChanged: boolean): boolean {
  const bpr = now.bytesPerRow;
  out.fill(0);
  if (before.bytesPerRow !== bpr || before.rows === 0) return false;
  const cursorRowNow = now.cursor >= 0 ? Math.floor(now.cursor / bpr) : -1;
  const cursorRowBefore = before.cursor >= 0 ? Math.floor(before.cursor / bpr) : -1;
  let any = false;
  for (let r = 0; r < now.rows; r++) {
    // The same virtual row (past the end too: those rows are blank in both).
    const row = now.topRow + r;
    const o = row - before.topRow;
    // A row partly outside the old canvas has lost its hidden part.
    if (o < 0 || o >= before.rows || !wasWhole(o)) continue;
    if (now.rowIndex[r] !== before.rowIndex[o]) continue;
    if ((row === cursorRowNow) !== (row === cursorRowBefore)) continue;
    let same = true;
    for (let c = 0, k = r * bpr, j = o * bpr; c < bpr; c++, k++, j++) {
      if (now.flags[k] !== before.flags[j] || now.span[k] !== before.span[j] || now.hex[k] !== before.hex[j] || now.glyph[k] !== before.glyph[j]
        || now.bookmark[k] !== before.bookmark[j]
        // Focus changes only how the selection and the cursor are drawn.
        || (focusChanged && now.flags[k] & (Cell.Selected | Cell.Cursor))) { same = false; break; }
    }
    if (same) { out[r] = 1; any = true; }
  }
  return any;
}
