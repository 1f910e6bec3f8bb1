/**
 * Where things are on the canvas, in CSS px: the address column, the hex
 * cells (a wider gap between groups of bytes), the border, the text cells.
 * Everything is derived from the width of '0' in the editor font (CSS `ch`)
 * and the row height, the same units the header row uses, so header and
 * grid line up. One place answers both "where is cell c?" (drawing) and
 * "which cell is at x?" (the mouse), and "how many bytes fit?" (fit to width).
 *
 * A hex cell is its digits plus 0.7ch of padding (2.7ch for two hex digits,
 * 8.7ch for eight bits); a group gap is 0.9ch more.
 */
import type { CellFormat, GroupSize } from '../../shared/protocol';
import type { Pane } from './drawList';
import { cellDigits, formatAddress } from './layout';

/** What the cells look like, apart from how many there are in a row. */
export interface CellLayout { groupSize: GroupSize; cellFormat: CellFormat }

export class Geometry {
  /** Width of '0' in the editor font, px. */
  ch = 8;
  rowHeight = 20;
  bytesPerRow = 16;
  addressDigits = 8;
  groupSize: GroupSize = 8;
  cellFormat: CellFormat = 'hex';

  /** Sets every measure; returns true when anything changed. */
  set(ch: number, rowHeight: number, bytesPerRow: number, addressDigits: number, cells?: CellLayout): boolean {
    const groupSize = cells?.groupSize ?? this.groupSize;
    const cellFormat = cells?.cellFormat ?? this.cellFormat;
    const changed = ch !== this.ch || rowHeight !== this.rowHeight || bytesPerRow !== this.bytesPerRow
      || addressDigits !== this.addressDigits || groupSize !== this.groupSize || cellFormat !== this.cellFormat;
    this.ch = ch;
    this.rowHeight = rowHeight;
    this.bytesPerRow = bytesPerRow;
    this.addressDigits = addressDigits;
    this.groupSize = groupSize;
    this.cellFormat = cellFormat;
    return changed;
  }

  /** Right edge of the address text. */
  get addressRight(): number { return (0.8 + this.addressDigits) * this.ch; }
  get hexStart(): number { return this.addressRight + 1.2 * this.ch; }
  get hexCellWidth(): number { return (cellDigits(this.cellFormat) + 0.7) * this.ch; }
  /** The extra space before each group after the first (none with groups of 1: every byte evenly spaced). */
  get groupGap(): number { return this.groupSize > 1 ? 0.9 * this.ch : 0; }
  get textCellWidth(): number { return 1.2 * this.ch; }

  hexX(col: number): number {
    return this.hexStart + col * this.hexCellWidth + Math.floor(col / this.groupSize) * this.groupGap;
  }

  /** The 1px line between the panes. */
  get border(): number { return this.borderFor(this.bytesPerRow); }
  get textStart(): number { return this.border + 1 + 1.2 * this.ch; }
  textX(col: number): number { return this.textStart + col * this.textCellWidth; }
  get textEnd(): number { return this.textX(this.bytesPerRow); }

  cellX(pane: Pane, col: number): number { return pane === 'hex' ? this.hexX(col) : this.textX(col); }
  cellWidth(pane: Pane): number { return pane === 'hex' ? this.hexCellWidth : this.textCellWidth; }

  /** The address of a row starting at `offset`, as the address column shows it. */
  address(offset: number): string { return formatAddress(offset, this.addressDigits, this.cellFormat); }

  /** The pane and column at x (nearest column inside a pane's band), or undefined outside both panes. */
  columnAt(x: number): { pane: Pane; col: number } | undefined {
    const last = this.bytesPerRow - 1;
    if (x >= this.hexStart && x < this.border) {
      // The group, then the cell inside it; x in a group gap belongs to the cell before the gap.
      const groupWidth = this.groupSize * this.hexCellWidth + this.groupGap;
      const group = Math.floor((x - this.hexStart) / groupWidth);
      const inGroup = Math.min(this.groupSize - 1, Math.floor((x - this.hexStart - group * groupWidth) / this.hexCellWidth));
      return { pane: 'hex', col: Math.max(0, Math.min(last, group * this.groupSize + inGroup)) };
    }
    if (x >= this.border && x < this.textEnd + this.ch) {
      const c = Math.floor((x - this.textStart) / this.textCellWidth);
      return { pane: 'text', col: Math.max(0, Math.min(last, c)) };
    }
    return undefined;
  }

  /**
   * The most bytes per row (1..max) whose columns end within `width` px
   * (`reserve` px kept free on the right, for the scrollbar), rounded down
   * to whole groups when at least one group fits. At least 1.
   */
  fitBytesPerRow(width: number, max: number, reserve = 0): number {
    let n = 1;
    for (let k = max; k >= 1; k--) {
      if (this.textStartFor(k) + k * this.textCellWidth + this.ch + reserve <= width) { n = k; break; }
    }
    return n >= this.groupSize ? n - (n % this.groupSize) : n;
  }

  private borderFor(bytesPerRow: number): number { return this.hexX(bytesPerRow - 1) + this.hexCellWidth + 1.5 * this.ch; }
  private textStartFor(bytesPerRow: number): number { return this.borderFor(bytesPerRow) + 1 + 1.2 * this.ch; }
}
