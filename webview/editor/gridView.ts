/**
 * The grid on screen: a canvas the frame is painted on, the accessible
 * mirror of the cursor's row, and the mapping from pointer coordinates back
 * to cells. Each frame: the editor's FrameState becomes a DrawList, the
 * painter draws it, the mirror reads it.
 *
 * `shown()` reports the draw list as data — every drawn row and cell with
 * its text, class names and box — for tests and the benchmark, so they check
 * what was actually painted.
 */
import { AccessibleRow } from './accessibleRow';
import { CanvasPainter, type PaintState } from './canvasPainter';
import { DrawList, type FrameState, type Pane } from './drawList';
import { Geometry, type CellLayout } from './geometry';
import { readPalette, type Palette } from './palette';
import { reusableRows } from './rowReuse';
import { layoutSpan, STAND_IN_GLYPHS } from './textLayout';

export interface ShownCell {
  offset: number;
  hex: string;
  hexClass: string;
  textClass: string;
  glyph: string;
  glyphClass: string;
  /** Boxes in client (viewport) px: where the hex and text cells are drawn. */
  hexBox: Box;
  textBox: Box;
}
export interface Box { x: number; y: number; width: number; height: number }
export interface ShownRow { rowIndex: number; address: string; top: number; cells: ShownCell[] }

export class GridView {
  readonly canvas: HTMLCanvasElement;
  readonly geometry = new Geometry();
  private readonly painter: CanvasPainter;
  private readonly mirror: AccessibleRow;
  /** This frame's draw list, and the previous frame's (what the canvas shows until this one is painted). */
  private list = new DrawList();
  private previous = new DrawList();
  /** What the previous frame was painted with; rows are reused only when all of it is unchanged. */
  private painted: PaintedWith | undefined;
  private reuse = new Uint8Array(0);
  /**
   * The cursor row's highlight right of the canvas. WHY: like VS Code's
   * current line it spans the whole editor width, but the canvas is only as
   * wide as the columns (every frame's pixels are copied), so the rest of
   * the line is this element, moved with the row.
   */
  private readonly lineTail: HTMLElement;
  private lineTailAt = '';
  private palette: Palette | undefined;
  private rows = 1;
  private width = 0;
  private height = 0;
  private fontKey = '';
  /**
   * Move unchanged rows' pixels instead of painting them again (rowReuse.ts).
   * Off, every frame is painted whole: the tests and the bench compare both.
   */
  reuseRows = true;
  /** Rows the last frame took from the previous one's pixels (tests check the reuse really happens). */
  reusedRows = 0;
  /** 0..1 of the external-change flash left (the editor animates it). */
  flash = 0;

  constructor(private readonly grid: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'grid-canvas';
    this.canvas.setAttribute('aria-hidden', 'true');
    grid.appendChild(this.canvas);
    this.painter = new CanvasPainter(this.canvas);
    this.lineTail = document.createElement('div');
    this.lineTail.className = 'line-tail';
    this.lineTail.setAttribute('aria-hidden', 'true');
    this.lineTail.hidden = true;
    grid.appendChild(this.lineTail);
    this.mirror = new AccessibleRow(grid);
  }

  /** Rows drawn: the rows that fit plus one for a fractional scroll position. */
  get rowCount(): number { return this.rows; }

  /** Width of '0' in the current font (the CSS `ch`), measured now. */
  measureCh(): number { return this.painter.measureCh(); }

  /** The theme changed: colours are read again on the next frame. */
  themeChanged(): void { this.palette = undefined; this.painted = undefined; }

  /**
   * Sizes the canvas and the cell geometry. `font` is the editor font (family
   * and px size, from the stylesheet); the row height is whole px.
   */
  layout(width: number, height: number, rowHeight: number, font: { family: string; size: number }, bytesPerRow: number, addressDigits: number, cells?: CellLayout): void {
    const key = `${font.family}|${font.size}`;
    if (key !== this.fontKey) { this.fontKey = key; this.painter.setFont(font.family, font.size); }
    const g = this.geometry;
    const ch = this.painter.measureCh();
    const rebuild = g.set(ch, rowHeight, bytesPerRow, addressDigits, cells) || this.rows === 0;
    // Only as wide as the columns: every frame's pixels are copied to the compositor, so
    // the empty area right of the text pane is left to the grid's own background.
    this.width = Math.min(width, Math.ceil(g.textEnd + g.ch));
    this.height = height;
    this.rows = Math.max(1, Math.ceil(height / rowHeight) + 1);
    this.painter.resize(this.width, height, window.devicePixelRatio || 1);
    this.painted = undefined;
    this.lineTail.style.left = `${this.width}px`;
    this.lineTail.style.height = `${rowHeight}px`;
    if (rebuild) this.mirror.build(g);
  }

  /**
   * Paints one frame of sample bytes (ASCII, multi-byte, invalid, controls,
   * a selection and a cursor), then blanks the list again. WHY: the first
   * frame of a page pays one-time costs — loading the font and the fallbacks
   * for symbols, compiling the paint loop — tens of ms. The scaffold calls
   * this while 'init' is on its way, so the first real frame does not.
   */
  warmUp(): void {
    this.palette ??= readPalette(this.grid);
    this.painter.warmUp(STAND_IN_GLYPHS);
    const bpr = this.geometry.bytesPerRow;
    const sample = new TextEncoder().encode('Hexmap warm-up: héllo wörld 中文 🐍 \t\r\n\u0000\u001b');
    const bytes = new Uint8Array(bpr * Math.min(this.rows, 8));
    for (let i = 0; i < bytes.length; i++) bytes[i] = sample[i % sample.length];
    bytes[bytes.length - 2] = 0xff; // an invalid byte
    const frame = (length: number): FrameState => ({
      topRow: 0, fraction: 0, bytesPerRow: bpr, fileSize: length, layout: layoutSpan(bytes, 0, 0, length, null), bytes, bytesStart: 0,
      marks: new Uint16Array(length).fill(1, 0, bpr), cursor: 1, hover: 2, pane: 'hex', totalRows: Math.ceil(length / bpr), insertMode: false, insertions: [],
    });
    this.list.fill(frame(bytes.length), this.rows);
    this.painter.paint(this.list, this.geometry, this.palette, { focused: false, flash: 0 });
    this.list.fill(frame(0), this.rows);
    this.painter.paint(this.list, this.geometry, this.palette, { focused: false, flash: 0 });
    this.painted = undefined;
  }

  /** The next frame is painted whole (nothing reused from the canvas). */
  repaintAll(): void { this.painted = undefined; }

  /** Re-sizes the backing store when devicePixelRatio changed (zoom, another monitor); cheap when it did not. */
  dprChanged(): void {
    if (this.painter.resize(this.width, this.height, window.devicePixelRatio || 1)) this.painted = undefined;
  }

  render(f: FrameState, paint: PaintState): void {
    // Checked every frame (a plain property read): not every zoom or monitor change fires an event.
    this.dprChanged();
    const palette = (this.palette ??= readPalette(this.grid));
    [this.list, this.previous] = [this.previous, this.list];
    this.list.fill(f, this.rows);
    const g = this.geometry;
    const state = { ...paint, flash: this.flash };
    const now = { palette, focused: state.focused, flash: state.flash, width: this.width, height: this.height, ch: g.ch, rowHeight: g.rowHeight, digits: g.addressDigits };
    const before = this.painted;
    let reuse: { rows: Uint8Array; dy: number } | undefined;
    if (this.reuseRows && before && this.painter.canMoveRows(g.rowHeight) && sameFrame(before, now) && this.list.pane === this.previous.pane && this.list.insertMode === this.previous.insertMode) {
      if (this.reuse.length !== this.list.rows) this.reuse = new Uint8Array(this.list.rows);
      const rh = g.rowHeight;
      const top = this.painter.snap(-this.previous.fraction * rh);
      const whole = (o: number): boolean => top + o * rh >= 0 && top + (o + 1) * rh <= this.height;
      if (reusableRows(this.list, this.previous, this.reuse, whole, before.focused !== now.focused)) {
        // How far each file row moved: whole rows plus the change of the snapped fractional shift (as the painter snaps it).
        const dy = (this.previous.topRow - this.list.topRow) * rh + this.painter.snap(-this.list.fraction * rh) - top;
        reuse = { rows: this.reuse, dy };
      }
    }
    this.reusedRows = reuse ? reuse.rows.reduce((n, x) => n + x, 0) : 0;
    this.painter.paint(this.list, g, palette, state, reuse);
    this.painted = now;
    this.placeLineTail();
    this.mirror.update(this.list, g);
  }

  /** Puts the line's tail beside the cursor's drawn row (hidden when it is off screen); writes the DOM only on change. */
  private placeLineTail(): void {
    const d = this.list;
    const r = d.cursor >= 0 ? d.rowOf(Math.floor(d.cursor / d.bytesPerRow)) : -1;
    const at = r < 0 ? '' : `translateY(${this.painter.snap(r * this.geometry.rowHeight - d.fraction * this.geometry.rowHeight)}px)`;
    if (at === this.lineTailAt) return;
    this.lineTailAt = at;
    this.lineTail.hidden = at === '';
    if (at) this.lineTail.style.transform = at;
  }

  /** File offset and pane of the cell at a client position (offset may be past the end). */
  cellAt(clientX: number, clientY: number): { offset: number; pane: Pane } | undefined {
    const box = this.canvas.getBoundingClientRect();
    const g = this.geometry;
    const y = clientY - box.top + this.list.fraction * g.rowHeight;
    if (clientY < box.top || clientY >= box.bottom || y < 0) return undefined;
    const hit = g.columnAt(clientX - box.left);
    if (!hit) return undefined;
    const r = Math.floor(y / g.rowHeight);
    const row = this.list.rowIndex[r];
    if (row === undefined || row < 0) return undefined;
    return { offset: row * g.bytesPerRow + hit.col, pane: hit.pane };
  }

  /** What the last frame drew: the rows with any pixel on screen, top to bottom. */
  shown(): ShownRow[] {
    const d = this.list;
    const g = this.geometry;
    const box = this.canvas.getBoundingClientRect();
    const out: ShownRow[] = [];
    const bpr = d.bytesPerRow;
    for (let r = 0; r < d.rows; r++) {
      const rowIndex = d.rowIndex[r];
      const top = r * g.rowHeight - d.fraction * g.rowHeight;
      if (rowIndex < 0 || top >= this.height || top + g.rowHeight <= 0) continue;
      const cells: ShownCell[] = [];
      for (let c = 0; c < bpr; c++) {
        const k = r * bpr + c;
        const cell = (pane: Pane): Box => ({ x: box.left + g.cellX(pane, c), y: box.top + top, width: g.cellWidth(pane), height: g.rowHeight });
        cells.push({
          offset: rowIndex * bpr + c, hex: d.hex[k], hexClass: d.cellClass(k, 'hex'), textClass: d.cellClass(k, 'text'),
          glyph: d.glyph[k], glyphClass: d.glyphClass(k), hexBox: cell('hex'), textBox: cell('text'),
        });
      }
      out.push({ rowIndex, address: g.address(rowIndex * bpr), top: box.top + top, cells });
    }
    return out;
  }
}

/** Everything besides the rows' own cells that a painted row's pixels depend on (focus: see reusableRows). */
interface PaintedWith { palette: Palette; focused: boolean; flash: number; width: number; height: number; ch: number; rowHeight: number; digits: number }

function sameFrame(a: PaintedWith, b: PaintedWith): boolean {
  return a.palette === b.palette && a.flash === b.flash && a.width === b.width && a.height === b.height
    && a.ch === b.ch && a.rowHeight === b.rowHeight && a.digits === b.digits;
}
