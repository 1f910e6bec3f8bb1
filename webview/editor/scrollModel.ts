/**
 * Where the view is, in rows, independent of the DOM. Browsers cap an
 * element's scroll height (~33 million px in Chromium), and a 64 GB file at
 * 16 bytes per row is 4 billion rows, so nothing here uses native scrolling:
 * the position is an exact integer row plus a fraction of a row, the
 * scrollbar thumb maps linearly onto it, and pixel wheel deltas move the
 * view by exactly those pixels (the fraction), so a trackpad's many tiny
 * deltas scroll smoothly and add up to exactly one row per row's worth.
 */
export class ScrollModel {
  /** First visible row (integer). */
  topRow = 0;
  totalRows = 0;
  /** Rows that fit in the viewport (the last may be partly hidden). */
  visibleRows = 1;
  /** Whole rows entirely inside the viewport. */
  fullRows = 1;
  /**
   * How far past the top of `topRow` the view starts, in rows, in [0, 1):
   * the view is drawn that much higher. Always 0 at the last page, so the
   * last row sits exactly at the bottom.
   */
  fraction = 0;

  setGeometry(totalRows: number, visibleRows: number, fullRows: number): void {
    this.totalRows = totalRows;
    this.visibleRows = Math.max(1, visibleRows);
    this.fullRows = Math.max(1, fullRows);
    this.scrollTo(this.topRow);
  }

  /** Largest top row: the last row sits at the bottom of the viewport. */
  get maxTopRow(): number {
    return Math.max(0, this.totalRows - this.fullRows);
  }

  /** Returns true when the position changed. */
  scrollTo(row: number): boolean {
    const clamped = Math.min(this.maxTopRow, Math.max(0, Math.round(row)));
    const changed = clamped !== this.topRow || this.fraction !== 0;
    this.topRow = clamped;
    this.fraction = 0;
    return changed;
  }

  scrollBy(rows: number): boolean {
    return this.scrollTo(this.topRow + rows);
  }

  /** A wheel event's delta, converted to rows; pixel deltas move by fractions of a row. */
  wheel(deltaY: number, deltaMode: number, rowHeight: number): boolean {
    const rows = deltaMode === 1 ? deltaY // DOM_DELTA_LINE
      : deltaMode === 2 ? deltaY * this.fullRows // DOM_DELTA_PAGE
        : deltaY / rowHeight;
    return this.scrollToPosition(this.topRow + this.fraction + rows);
  }

  /** Moves to a fractional row position (clamped); returns true when the view moved. */
  scrollToPosition(position: number): boolean {
    const max = this.maxTopRow;
    let p = Math.min(max, Math.max(0, position));
    // Tolerance: ten deltas of 0.1 row sum to 0.9999999999999999 in floating point.
    const near = Math.round(p);
    if (Math.abs(p - near) < 1e-6) p = near;
    const top = Math.floor(p);
    const fraction = p - top;
    if (top === this.topRow && fraction === this.fraction) return false;
    this.topRow = top;
    this.fraction = fraction;
    return true;
  }

  /** Scrolls the least amount that shows `row` completely. */
  reveal(row: number): boolean {
    // A top row drawn partly above the view (a fraction) counts as hidden.
    if (row < this.topRow || (row === this.topRow && this.fraction > 0)) return this.scrollTo(row);
    if (row >= this.topRow + this.fullRows) return this.scrollTo(row - this.fullRows + 1);
    return false;
  }

  // ------------------------------------------------------------ thumb math

  /** Thumb length in px for a track of `track` px (never smaller than minThumb). */
  thumbLength(track: number, minThumb = 24): number {
    if (this.totalRows <= this.fullRows) return track;
    return Math.min(track, Math.max(minThumb, (track * this.fullRows) / this.totalRows));
  }

  /** Thumb position in px from the track's top. */
  thumbPosition(track: number, minThumb = 24): number {
    const free = track - this.thumbLength(track, minThumb);
    const max = this.maxTopRow;
    return max === 0 ? 0 : (free * (this.topRow + this.fraction)) / max;
  }

  /** The top row for a thumb dragged to `position` px: linear, both ends reachable exactly. */
  rowAtThumb(position: number, track: number, minThumb = 24): number {
    const free = track - this.thumbLength(track, minThumb);
    if (free <= 0) return 0;
    const fraction = Math.min(1, Math.max(0, position / free));
    return Math.round(fraction * this.maxTopRow);
  }
}
