/**
 * Cursor and selection as byte offsets, shared by both panes: the hex pane
 * and the text pane draw the same cursor, anchor and range, so there is
 * nothing to synchronise beyond this one object. `digit` remembers how many
 * digits of the cursor byte's cell were just typed in the hex pane.
 */
import type { Pane } from './drawList';

export class Selection {
  cursor = 0;
  anchor = 0;
  pane: Pane = 'hex';
  /** Digits of the cursor byte's cell typed so far (0: none; hex: 1 after the high nibble). */
  digit = 0;

  get start(): number { return Math.min(this.cursor, this.anchor); }
  /** Inclusive end. */
  get end(): number { return Math.max(this.cursor, this.anchor); }
  get length(): number { return this.end - this.start + 1; }
  /** More than the cursor byte is selected (the anchor is elsewhere). */
  get hasRange(): boolean { return this.cursor !== this.anchor; }

  /**
   * Moves the cursor; keeps the anchor when extending (shift), else collapses.
   * `allowEnd`: the cursor may stand just past the last byte (insert mode
   * appends there; overwrite mode has nothing to write at the end).
   */
  moveTo(offset: number, extend: boolean, fileSize: number, allowEnd = false): void {
    const last = allowEnd ? fileSize : Math.max(0, fileSize - 1);
    this.cursor = Math.min(last, Math.max(0, offset));
    if (!extend) this.anchor = this.cursor;
    this.digit = 0;
  }

  /** Selects [offset, offset+length) with the cursor on its first byte. */
  select(offset: number, length: number, fileSize: number): void {
    this.moveTo(offset + Math.max(0, length - 1), false, fileSize);
    this.moveTo(offset, true, fileSize);
  }
}
