/**
 * Draws a DrawList onto the grid's canvas: one full redraw per frame.
 *
 * WHY a canvas: scrolling rewrites nearly every cell each frame (a 200 px
 * wheel notch moves ten rows), and as DOM that meant style, layout and paint
 * of some 1,500 cells per frame — 50 ms frames in VS Code. A canvas frame
 * is a few hundred fillRect/fillText calls with no style or layout at all.
 *
 * Crisp at any zoom: the backing store is the CSS size times
 * devicePixelRatio and every row top is snapped to a device pixel.
 */
import { Cell, type DrawList } from './drawList';
import type { Geometry } from './geometry';
import { isTransparent, type Palette } from './palette';
import { ByteClass } from './textLayout';

export interface PaintState {
  /** The grid has keyboard focus (selection and cursor draw in their focused colours). */
  focused: boolean;
  /** 0..1: how much of the external-change flash is left. */
  flash: number;
}

export class CanvasPainter {
  private readonly ctx: CanvasRenderingContext2D;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private font = '13px monospace';
  private boldFont = 'bold 13px monospace';
  /** Measured glyph widths: a glyph wider than its cells is clipped to them. */
  private readonly glyphWidth = new Map<string, number>();

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
  }

  /** Sizes the backing store; returns true when it changed (the next paint redraws everything anyway). */
  resize(width: number, height: number, dpr: number): boolean {
    if (width === this.width && height === this.height && dpr === this.dpr) return false;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    return true;
  }

  setFont(family: string, sizePx: number): void {
    this.font = `${sizePx}px ${family}`;
    this.boldFont = `bold ${sizePx}px ${family}`;
    this.glyphWidth.clear();
  }

  /** Width of '0' in the font: the CSS `ch` unit. */
  measureCh(): number {
    this.ctx.font = this.font;
    return this.ctx.measureText('0').width || 8;
  }

  /**
   * Draws (off-screen) the characters every file shows — hex digits, ASCII and
   * the stand-in symbols — once in both fonts. WHY: a page's first text on a
   * canvas loads the font and resolves fallback fonts for symbols, tens of ms;
   * done while 'init' is on its way, the first real frame does not pay it.
   */
  warmUp(symbols: string): void {
    const ctx = this.ctx;
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    // Inside the canvas (clipped text would not be rasterized); the first frame paints over it.
    ctx.textBaseline = 'middle';
    for (const font of [this.font, this.boldFont]) {
      ctx.font = font;
      ctx.fillText(ascii, 0, 10);
      for (const ch of symbols) ctx.fillText(ch, 10, 10);
    }
    ctx.font = this.font;
    for (const ch of ascii + symbols) this.widthOf(ch);
  }

  /** `v` CSS px rounded to the nearest device pixel. */
  snap(v: number): number { return Math.round(v * this.dpr) / this.dpr; }

  /**
   * True when rows can be moved as pixels: a row is then a whole number of
   * device px high, so every row moves by the same whole number of device px
   * and lands exactly where a repaint would draw it.
   */
  canMoveRows(rowHeight: number): boolean {
    return Number.isInteger(rowHeight * this.dpr);
  }

  /**
   * Paints the frame. With `reuse`, the canvas still holds the previous
   * frame: its pixels are moved down by `reuse.dy` CSS px (negative: up) and
   * only the rows not marked in `reuse.rows` are painted, clipped to their
   * bands (see rowReuse.ts).
   */
  paint(d: DrawList, g: Geometry, p: Palette, s: PaintState, reuse?: { rows: Uint8Array; dy: number }): void {
    const ctx = this.ctx;
    const bpr = d.bytesPerRow;
    const rh = g.rowHeight;
    const shift = d.fraction * rh;
    const redo = (r: number): boolean => !reuse || reuse.rows[r] === 0;
    ctx.globalAlpha = 1;
    let clipped = false;
    if (reuse) {
      const dy = Math.round(reuse.dy * this.dpr);
      if (dy !== 0) {
        const w = this.canvas.width;
        const h = this.canvas.height;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (dy > 0) ctx.drawImage(this.canvas, 0, 0, w, h - dy, 0, dy, w, h - dy);
        else ctx.drawImage(this.canvas, 0, -dy, w, h + dy, 0, 0, w, h + dy);
      }
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      ctx.save();
      ctx.beginPath();
      for (let r = 0; r < d.rows; r++) if (redo(r)) ctx.rect(0, this.snap(r * rh - shift), this.width, rh);
      ctx.clip();
      clipped = true;
    } else ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, this.width, this.height);
    const hexW = g.hexCellWidth;
    const txtW = g.textCellWidth;

    // The cursor's row is highlighted across the whole width.
    const cursorRow = d.cursor >= 0 ? d.rowOf(Math.floor(d.cursor / bpr)) : -1;
    if (cursorRow >= 0 && redo(cursorRow)) {
      const y = this.snap(cursorRow * rh - shift);
      ctx.fillStyle = p.line;
      ctx.fillRect(0, y, this.width, rh);
      if (!isTransparent(p.lineBorder)) {
        ctx.fillStyle = p.lineBorder;
        ctx.fillRect(0, y, this.width, 1);
        ctx.fillRect(0, y + rh - 1, this.width, 1);
      }
    }
    // The pane typing goes to is tinted.
    ctx.fillStyle = p.paneTint;
    if (d.pane === 'hex') ctx.fillRect(g.hexStart, 0, g.border - g.hexStart, this.height);
    else ctx.fillRect(g.border + 1, 0, g.textEnd - g.border - 1, this.height);
    ctx.fillStyle = p.border;
    ctx.fillRect(this.snap(g.border), 0, 1, this.height);

    // Backgrounds and marks first, then all text on top.
    for (let r = 0; r < d.rows; r++) {
      if (d.rowIndex[r] < 0 || !redo(r)) continue;
      const y = this.snap(r * rh - shift);
      for (let c = 0; c < bpr; c++) {
        const f = d.flags[r * bpr + c];
        if (!(f & Cell.Data)) continue;
        const bm = d.bookmark[r * bpr + c];
        this.cellBackground(f, g.hexX(c), y, hexW, rh, p, s, 'hex', bm);
        this.cellBackground(f, g.textX(c), y, txtW, rh, p, s, 'text', bm);
      }
    }

    ctx.textBaseline = 'middle';
    ctx.font = this.font;
    let fill = '';
    let alpha = 1;
    const setFill = (color: string, a: number): void => {
      if (color !== fill) { ctx.fillStyle = color; fill = color; }
      if (a !== alpha) { ctx.globalAlpha = a; alpha = a; }
    };
    // Addresses.
    ctx.textAlign = 'right';
    for (let r = 0; r < d.rows; r++) {
      const row = d.rowIndex[r];
      if (row < 0 || !redo(r)) continue;
      const y = this.snap(r * rh - shift);
      setFill(r === cursorRow ? p.activeLine : p.muted, 1);
      ctx.fillText(g.address(row * bpr), g.addressRight, y + rh / 2);
    }
    // Hex digits, coloured by byte class.
    ctx.textAlign = 'center';
    for (let r = 0; r < d.rows; r++) {
      if (d.rowIndex[r] < 0 || !redo(r)) continue;
      const y = this.snap(r * rh - shift);
      const mid = y + rh / 2;
      for (let c = 0; c < bpr; c++) {
        const k = r * bpr + c;
        const f = d.flags[k];
        if (!(f & Cell.Data)) continue;
        const kind = f & Cell.KindMask;
        const selectedHc = p.highContrast && (f & Cell.Selected);
        const color = selectedHc ? p.selectionFg : kind === ByteClass.Lead ? p.lead : kind === ByteClass.Continuation ? p.cont
          : kind === ByteClass.Invalid ? p.invalid : kind === ByteClass.Unknown ? p.muted : p.fg;
        setFill(color, kind === ByteClass.Unknown ? 0.6 : f & Cell.Zero ? 0.55 : 1);
        const x = g.hexX(c);
        ctx.fillText(d.hex[k], x + hexW / 2, mid);
        if (kind === ByteClass.Invalid) this.wavy(x + 3, x + hexW - 3, y + rh - 5);
      }
    }
    // Glyphs: drawn once at a character's first byte, centred over the cells it spans on this row.
    for (let r = 0; r < d.rows; r++) {
      if (d.rowIndex[r] < 0 || !redo(r)) continue;
      const y = this.snap(r * rh - shift);
      const mid = y + rh / 2;
      for (let c = 0; c < bpr; c++) {
        const k = r * bpr + c;
        const glyph = d.glyph[k];
        if (!glyph) continue;
        const f = d.flags[k];
        const kind = f & Cell.KindMask;
        const invalid = kind === ByteClass.Invalid;
        const color = p.highContrast && (f & Cell.Selected) ? p.selectionFg : invalid ? p.invalid : f & Cell.Dim ? p.muted : p.fg;
        setFill(color, f & Cell.Dim ? 0.75 : 1);
        const x = g.textX(c);
        const w = txtW * d.span[k];
        if (invalid) ctx.font = this.boldFont;
        const gw = this.widthOf(glyph);
        if (gw > w + 0.5) {
          // Wide CJK, emoji, combining sequences: never spill into a neighbour's cell.
          ctx.save();
          ctx.beginPath();
          ctx.rect(x, y, w, rh);
          ctx.clip();
          ctx.fillText(glyph, x + w / 2, mid);
          ctx.restore();
          fill = ''; alpha = -1; // restore() brought back the saved fill and alpha
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
        } else ctx.fillText(glyph, x + w / 2, mid);
        if (invalid) ctx.font = this.font;
      }
    }
    ctx.globalAlpha = 1;
    // Cursor, hover and match outlines on top of everything.
    for (let r = 0; r < d.rows; r++) {
      if (d.rowIndex[r] < 0 || !redo(r)) continue;
      const y = this.snap(r * rh - shift);
      for (let c = 0; c < bpr; c++) {
        const f = d.flags[r * bpr + c];
        if (!(f & (Cell.Cursor | Cell.Hover | Cell.Match | Cell.DiffInsert | Cell.CurrentDiff | Cell.BookmarkStart))) continue;
        for (const pane of ['hex', 'text'] as const) {
          const x = g.cellX(pane, c);
          const w = g.cellWidth(pane);
          // A bookmark's first byte: a corner flag in the bookmark's colour.
          if (f & Cell.BookmarkStart) this.corner(x, y, Math.min(7, rh / 2), p.bookmarks[d.bookmark[r * bpr + c] - 1] ?? p.bookmarks[0]);
          // Where the other document has bytes this one lacks: a thin bar before this cell.
          if (f & Cell.DiffInsert) { ctx.fillStyle = p.diffMark; ctx.fillRect(x, y, 2, rh); }
          if (f & Cell.CurrentDiff) this.outline(x, y, w, rh, p.diffMark, 1, false);
          if (f & Cell.Match && !isTransparent(p.matchBorder)) this.outline(x, y, w, rh, p.matchBorder, 1, false);
          if (f & Cell.Match && p.highContrast) this.outline(x, y, w, rh, p.contrast, 1, true);
          if (f & Cell.Hover) this.outline(x, y, w, rh, p.muted, 1, true);
          if (f & Cell.Cursor && d.insertMode) {
            // Insert mode: a bar before the byte, where typing goes in.
            ctx.fillStyle = p.highContrast ? p.contrast : pane === d.pane ? (s.focused ? p.focus : p.cursor) : p.muted;
            ctx.fillRect(x, y + 1, pane === d.pane ? 2 : 1, rh - 2);
          } else if (f & Cell.Cursor) {
            if (pane === d.pane) this.outline(x, y, w, rh, p.highContrast ? p.contrast : s.focused ? p.focus : p.cursor, 2, false);
            else this.outline(x, y, w, rh, p.highContrast ? p.contrast : p.cursor, 1, true);
          }
        }
      }
    }
    if (clipped) ctx.restore();
  }

  private cellBackground(f: number, x: number, y: number, w: number, h: number, p: Palette, s: PaintState, pane: 'hex' | 'text', bookmark: number): void {
    const ctx = this.ctx;
    let bg = '';
    if (f & Cell.FindScope) bg = p.findScope;
    if (f & Cell.Bookmark) bg = p.bookmarkTints[bookmark - 1] ?? p.bookmarkTints[0];
    if (f & Cell.Unsaved) bg = p.unsavedBg;
    if (f & Cell.Diff) bg = p.diff;
    if (f & Cell.CurrentDiff) bg = p.diffCur;
    if (f & Cell.Match) bg = p.match;
    if (f & Cell.Hover && !(f & Cell.Selected && s.focused)) bg = p.hover;
    if (f & Cell.Selected && !(f & Cell.Hover && !s.focused)) bg = s.focused ? p.selection : p.inactiveSelection;
    if (f & Cell.CurrentMatch) bg = p.matchCur;
    if (bg) { ctx.fillStyle = bg; ctx.fillRect(x, y, w, h); }
    if (f & Cell.Flash && s.flash > 0) {
      ctx.globalAlpha = s.flash;
      ctx.fillStyle = p.flash;
      ctx.fillRect(x, y, w, h);
      ctx.globalAlpha = 1;
    }
    if (f & Cell.Unsaved) { ctx.fillStyle = p.unsaved; ctx.fillRect(x, y + h - 2, w, 2); }
    if (f & Cell.Selected && p.highContrast) this.outline(x, y, w, h, p.contrast, 1, false);
    // One bracket under all bytes of a multi-byte character (hex pane) and one
    // pill behind it (text pane); a dashed open end where it continues on another row.
    if (!(f & (Cell.UnitStart | Cell.UnitMid | Cell.UnitEnd))) return;
    const invalid = (f & Cell.KindMask) === ByteClass.Invalid;
    const start = (f & Cell.UnitStart) !== 0;
    const end = (f & Cell.UnitEnd) !== 0;
    if (pane === 'hex') {
      ctx.globalAlpha = 0.8;
      ctx.fillStyle = invalid ? p.invalid : p.lead;
      const left = x + (start ? 3 : 0);
      const right = x + w - (end ? 3 : 0);
      ctx.fillRect(left, y + h - 4, right - left, 2);
      ctx.globalAlpha = 1;
    } else {
      const left = x + (start ? 1 : 0);
      const right = x + w - (end ? 1 : 0);
      ctx.fillStyle = invalid ? p.invalidPill : p.pill;
      ctx.fillRect(left, y + 3, right - left, h - 6);
      ctx.fillStyle = invalid ? p.invalidPillBorder : p.pillBorder;
      ctx.fillRect(left, y + 3, right - left, 1);
      ctx.fillRect(left, y + h - 4, right - left, 1);
      if (start) ctx.fillRect(left, y + 3, 1, h - 6);
      if (end) ctx.fillRect(right - 1, y + 3, 1, h - 6);
    }
    if (f & (Cell.Carry | Cell.CarryOn)) {
      ctx.fillStyle = p.cont;
      const top = pane === 'hex' ? y + 2 : y + 3;
      const bottom = pane === 'hex' ? y + h - 2 : y + h - 3;
      for (let yy = top; yy < bottom; yy += 4) {
        if (f & Cell.Carry) ctx.fillRect(x, yy, 2, 2);
        if (f & Cell.CarryOn) ctx.fillRect(x + w - 2, yy, 2, 2);
      }
    }
  }

  private outline(x: number, y: number, w: number, h: number, color: string, width: number, dashed: boolean): void {
    if (isTransparent(color)) return;
    const ctx = this.ctx;
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(dashed ? [2, 2] : []);
    ctx.strokeRect(x + width / 2, y + width / 2, w - width, h - width);
    ctx.setLineDash([]);
  }

  /** A filled right triangle in the cell's top-left corner. */
  private corner(x: number, y: number, size: number, color: string): void {
    const ctx = this.ctx;
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + size, y);
    ctx.lineTo(x, y + size);
    ctx.closePath();
    ctx.fill();
  }

  /** The wavy underline of an invalid byte. */
  private wavy(x0: number, x1: number, y: number): void {
    const ctx = this.ctx;
    ctx.strokeStyle = ctx.fillStyle;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x0, y);
    for (let x = x0, up = true; x < x1; x += 2, up = !up) ctx.lineTo(Math.min(x1, x + 2), y + (up ? -1 : 1));
    ctx.stroke();
  }

  private widthOf(glyph: string): number {
    let w = this.glyphWidth.get(glyph);
    if (w === undefined) {
      w = this.ctx.measureText(glyph).width;
      // Bounded, but large enough that a file of many scripts does not measure the same glyphs again and again.
      if (this.glyphWidth.size > 32768) this.glyphWidth.clear();
      this.glyphWidth.set(glyph, w);
    }
    return w;
  }
}
