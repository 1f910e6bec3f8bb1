/**
 * Where the view is, in rows, independent of the DOM. Browsers cap an
 * element's scroll height (~33 million px in Chromium), and a 64 GB file at
 * 16 bytes per row is 4 billion rows, so nothing here uses native scrolling:
 * the position is an exact integer row, the scrollbar thumb maps linearly
 * onto it, and wheel deltas are accumulated in fractional rows so trackpads
 * that send many tiny deltas still move, exactly one row per row's worth.
 */
export class ScrollModel {
  /** First visible row (integer). */
  topRow = 0;
  totalRows = 0;
  /** Rows that fit in the viewport (the last may be partly hidden). */
  visibleRows = 1;
  /** Whole rows entirely inside the viewport. */
  fullRows = 1;
  /** Fraction of a row the wheel has moved but not yet applied. */
  private accumulated = 0;

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
    const changed = clamped !== this.topRow;
    this.topRow = clamped;
    return changed;
  }

  scrollBy(rows: number): boolean {
    return this.scrollTo(this.topRow + rows);
  }

  /** A wheel event's delta, converted to rows with the remainder kept. */
  wheel(deltaY: number, deltaMode: number, rowHeight: number): boolean {
    const rows = deltaMode === 1 ? deltaY // DOM_DELTA_LINE
      : deltaMode === 2 ? deltaY * this.fullRows // DOM_DELTA_PAGE
        : deltaY / rowHeight;
    this.accumulated += rows;
    // Pushing against an end accumulates nothing, so reversing responds at once.
    if ((this.topRow === 0 && this.accumulated < 0) || (this.topRow === this.maxTopRow && this.accumulated > 0)) {
      this.accumulated = 0;
      return false;
    }
    // Tolerance: ten deltas of 0.1 row sum to 0.9999999999999999 in floating point.
    const whole = Math.trunc(this.accumulated + Math.sign(this.accumulated) * 1e-9);
    if (whole === 0) return false;
    this.accumulated -= whole;
    const changed = this.scrollBy(whole);
    if (!changed) this.accumulated = 0;
    return changed;
  }

  /** Scrolls the least amount that shows `row` completely. */
  reveal(row: number): boolean {
    if (row < this.topRow) return this.scrollTo(row);
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
    return max === 0 ? 0 : (free * this.topRow) / max;
  }

  /** The top row for a thumb dragged to `position` px: linear, both ends reachable exactly. */
  rowAtThumb(position: number, track: number, minThumb = 24): number {
    const free = track - this.thumbLength(track, minThumb);
    if (free <= 0) return 0;
    const fraction = Math.min(1, Math.max(0, position / free));
    return Math.round(fraction * this.maxTopRow);
  }
}
