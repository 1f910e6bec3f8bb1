/**
 * Where things are on the canvas, in CSS px: the address column, the hex
 * cells (a wider gap every 8), the border, the text cells. Everything is
 * derived from the width of '0' in the editor font (CSS `ch`) and the row
 * height, the same units the header row's CSS uses, so header and grid line
 * up. One place answers both "where is cell c?" (drawing) and "which cell
 * is at x?" (the mouse).
 */
import type { Pane } from './drawList';

export class Geometry {
  /** Width of '0' in the editor font, px. */
  ch = 8;
  rowHeight = 20;
  bytesPerRow = 16;
  addressDigits = 8;

  set(ch: number, rowHeight: number, bytesPerRow: number, addressDigits: number): void {
    this.ch = ch;
    this.rowHeight = rowHeight;
    this.bytesPerRow = bytesPerRow;
    this.addressDigits = addressDigits;
  }

  /** Right edge of the address text. */
  get addressRight(): number { return (0.8 + this.addressDigits) * this.ch; }
  get hexStart(): number { return this.addressRight + 1.2 * this.ch; }
  get hexCellWidth(): number { return 2.7 * this.ch; }
  get textCellWidth(): number { return 1.2 * this.ch; }

  hexX(col: number): number {
    return this.hexStart + col * this.hexCellWidth + Math.floor(col / 8) * 0.9 * this.ch;
  }

  /** The 1px line between the panes. */
  get border(): number { return this.hexX(this.bytesPerRow - 1) + this.hexCellWidth + 1.5 * this.ch; }
  get textStart(): number { return this.border + 1 + 1.2 * this.ch; }
  textX(col: number): number { return this.textStart + col * this.textCellWidth; }
  get textEnd(): number { return this.textX(this.bytesPerRow); }

  cellX(pane: Pane, col: number): number { return pane === 'hex' ? this.hexX(col) : this.textX(col); }
  cellWidth(pane: Pane): number { return pane === 'hex' ? this.hexCellWidth : this.textCellWidth; }

  /** The pane and column at x (nearest column inside a pane's band), or undefined outside both panes. */
  columnAt(x: number): { pane: Pane; col: number } | undefined {
    const last = this.bytesPerRow - 1;
    if (x >= this.hexStart && x < this.border) {
      for (let c = last; c >= 0; c--) if (x >= this.hexX(c)) return { pane: 'hex', col: c };
    }
    if (x >= this.border && x < this.textEnd + this.ch) {
      const c = Math.floor((x - this.textStart) / this.textCellWidth);
      return { pane: 'text', col: Math.max(0, Math.min(last, c)) };
    }
    return undefined;
  }
}
