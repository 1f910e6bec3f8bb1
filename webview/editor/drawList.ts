/**
 * What every visible cell shows, decided once per frame: the byte's text,
 * its class (ASCII, lead, continuation, invalid, loading), its place in a
 * multi-byte character, and the marks on it (selection, unsaved, matches,
 * hover, cursor). The canvas painter draws exactly this list, the
 * accessible mirror reads the cursor's row from it, and the test hook
 * reports it — so what tests check is what was drawn.
 *
 * Cells are flat typed arrays (row-major, bytesPerRow per row) rather than
 * objects: a frame of 45 rows x 16 columns is rebuilt 60 times a second.
 */
import type { CellFormat } from '../../shared/protocol';
import { cellTexts, loadingText } from './layout';
import { ByteClass, type TextLayout } from './textLayout';
import { BOOKMARK_COLORS } from '../../shared/protocol';
import { BOOKMARK_START } from './bookmarkCells';

/** Bits of the per-byte highlight mask built by the editor each frame. */
export const enum Mark { Selected = 1, Unsaved = 2, Match = 4, CurrentMatch = 8, Flash = 16, Diff = 32, CurrentDiff = 64, FindScope = 128, Bookmark = 256 }

export type Pane = 'hex' | 'text';

export interface FrameState {
  topRow: number;
  /** Fraction of a row the view starts below topRow's top (pixel-smooth scrolling). */
  fraction: number;
  bytesPerRow: number;
  fileSize: number;
  layout: TextLayout;
  /** Bytes of the file from bytesStart (the layout indexes into them). */
  bytes: Uint8Array;
  bytesStart: number;
  /** Per byte of the layout: Mark bits (more than 8, so 16-bit). */
  marks: Uint16Array;
  cursor: number;
  hover: number;
  pane: Pane;
  totalRows: number;
  /** Insert mode: the cursor is drawn as a bar before its byte. */
  insertMode: boolean;
  /** Sorted offsets where the compared document has bytes this one lacks (drawn as a thin marker). */
  insertions: readonly number[];
  /** How cells write their byte (layout.ts); absent: upper-case hex. */
  cellFormat?: CellFormat;
  /** Per byte of the layout: 0, or a bookmark's colour index + 1 (| BOOKMARK_START on its first byte); see bookmarkCells. */
  bookmarks?: Uint8Array;
}

/** Cell flags. The low 3 bits hold the ByteClass. */
export const enum Cell {
  KindMask = 7,
  Zero = 1 << 3, // a NUL byte: dimmed
  UnitStart = 1 << 4, UnitMid = 1 << 5, UnitEnd = 1 << 6, // a byte of a multi-byte unit
  Carry = 1 << 7, // continues a character from the previous row
  CarryOn = 1 << 8, // continues on the next row
  Selected = 1 << 9, Unsaved = 1 << 10, Match = 1 << 11, CurrentMatch = 1 << 12, Flash = 1 << 13,
  Hover = 1 << 14, Cursor = 1 << 15,
  Eof = 1 << 16, // past the end of the file
  Data = 1 << 17, // a file byte inside the layout (hex text and glyph are set)
  Dim = 1 << 18, // the glyph is a stand-in (control picture, dot)
  Diff = 1 << 19, CurrentDiff = 1 << 20, // differs from the compared document
  DiffInsert = 1 << 21, // the compared document has bytes before this one
  FindScope = 1 << 22, // inside the find widget's "find in selection" scope
  Bookmark = 1 << 23, BookmarkStart = 1 << 24, // inside a bookmark; its first byte
}

/** Upper-case hex text of each byte value (the default cell format). */
export const HEX = cellTexts('hex');
const KIND = ['k-a', 'k-l', 'k-c', 'k-i', 'k-u'];
export const KIND_NAME = ['ASCII', 'lead byte', 'continuation byte', 'invalid', 'loading'];

export class DrawList {
  bytesPerRow = 16;
  rows = 0;
  topRow = 0;
  fraction = 0;
  pane: Pane = 'hex';
  cursor = -1;
  insertMode = false;
  /** File row shown by each drawn row, -1 past the end. */
  rowIndex = new Float64Array(0);
  flags = new Uint32Array(0);
  /** Cell text in the cell format ("4F", "079", "01001111"; a dot per digit while loading, "" past the end). */
  hex: string[] = [];
  /** Glyph drawn at a unit's first byte ('' elsewhere). */
  glyph: string[] = [];
  /** Cells of this row the glyph spans (1..4). */
  span = new Uint8Array(0);
  /** Bookmark colour of each cell: the index in BOOKMARK_COLORS + 1, 0 for none. */
  bookmark = new Uint8Array(0);
  /** The cursor's code point, class and byte, for the accessible label (byte -1: not on screen). */
  cursorInfo = { byte: -1, cls: ByteClass.Unknown as ByteClass, codePoint: 0 };

  fill(f: FrameState, rows: number): void {
    const bpr = f.bytesPerRow;
    const n = rows * bpr;
    if (this.flags.length !== n) {
      this.flags = new Uint32Array(n);
      this.span = new Uint8Array(n);
      this.bookmark = new Uint8Array(n);
      this.hex = new Array<string>(n).fill('');
      this.glyph = new Array<string>(n).fill('');
      this.rowIndex = new Float64Array(rows);
    }
    this.bytesPerRow = bpr;
    this.rows = rows;
    this.topRow = f.topRow;
    this.fraction = f.fraction;
    this.pane = f.pane;
    this.cursor = f.cursor;
    this.insertMode = f.insertMode;
    let nextInsertion = 0;
    this.cursorInfo = { byte: -1, cls: ByteClass.Unknown, codePoint: 0 };
    const { layout, marks } = f;
    const texts = cellTexts(f.cellFormat ?? 'hex');
    const loading = loadingText(f.cellFormat ?? 'hex');
    for (let r = 0; r < rows; r++) {
      const rowIndex = f.topRow + r;
      const inFile = rowIndex < f.totalRows;
      this.rowIndex[r] = inFile ? rowIndex : -1;
      const rowOffset = rowIndex * bpr;
      for (let c = 0; c < bpr; c++) {
        const k = r * bpr + c;
        const offset = rowOffset + c;
        const i = offset - layout.start;
        let flags = 0;
        let hex = '';
        let glyph = '';
        let span = 1;
        let bookmark = 0;
        while (nextInsertion < f.insertions.length && f.insertions[nextInsertion] < offset) nextInsertion++;
        const insertion = nextInsertion < f.insertions.length && f.insertions[nextInsertion] === offset;
        if (inFile && offset < f.fileSize && i >= 0 && i < layout.length) {
          const cls = layout.cls[i];
          const pos = layout.pos[i];
          const len = layout.len[i];
          const m = marks[i];
          const byte = f.bytes[offset - f.bytesStart];
          flags = Cell.Data | cls;
          hex = cls === ByteClass.Unknown ? loading : texts[byte];
          if (cls !== ByteClass.Unknown && byte === 0) flags |= Cell.Zero; // NUL: dimmed, as hexyl does
          if (len > 1) {
            flags |= pos === 0 ? Cell.UnitStart : pos === len - 1 ? Cell.UnitEnd : Cell.UnitMid;
            if (pos > 0 && c === 0) flags |= Cell.Carry;
            if (pos < len - 1 && c === bpr - 1) flags |= Cell.CarryOn;
          }
          if (m & Mark.Selected) flags |= Cell.Selected;
          if (m & Mark.Unsaved) flags |= Cell.Unsaved;
          if (m & Mark.Match) flags |= Cell.Match;
          if (m & Mark.CurrentMatch) flags |= Cell.CurrentMatch;
          if (m & Mark.Flash) flags |= Cell.Flash;
          if (m & Mark.Diff) flags |= Cell.Diff;
          if (m & Mark.CurrentDiff) flags |= Cell.CurrentDiff;
          if (m & Mark.FindScope) flags |= Cell.FindScope;
          if (m & Mark.Bookmark && f.bookmarks) {
            const b = f.bookmarks[i];
            bookmark = b & ~BOOKMARK_START;
            flags |= Cell.Bookmark | (b & BOOKMARK_START ? Cell.BookmarkStart : 0);
          }
          if (offset === f.hover) flags |= Cell.Hover;
          if (offset === f.cursor) {
            flags |= Cell.Cursor;
            this.cursorInfo = { byte: cls === ByteClass.Unknown ? -1 : byte, cls, codePoint: layout.codePoint[i - pos] };
          }
          if (pos === 0) {
            glyph = layout.glyph[i];
            // The glyph spans the unit's cells that are on this row.
            span = Math.min(len, bpr - c);
            if (layout.dim[i]) flags |= Cell.Dim;
          }
        } else if (offset >= f.fileSize) {
          flags = Cell.Eof;
          // Insert mode's cursor may stand at the end of the file, where typing appends.
          if (offset === f.cursor && inFile) flags |= Cell.Cursor;
        }
        if (insertion && inFile && offset <= f.fileSize) flags |= Cell.DiffInsert;
        this.flags[k] = flags;
        this.hex[k] = hex;
        this.glyph[k] = glyph;
        this.span[k] = span;
        this.bookmark[k] = bookmark;
      }
    }
  }

  /** The drawn row showing file row `rowIndex`, or -1. */
  rowOf(rowIndex: number): number {
    const r = rowIndex - this.topRow;
    return r >= 0 && r < this.rows && this.rowIndex[r] === rowIndex ? r : -1;
  }

  // ------------------------------------------------ class names (test hook)

  /**
   * The cell's state as class names, the vocabulary the tests speak: kind
   * (k-a ascii, k-l lead, k-c continuation, k-i invalid, k-u loading), z
   * (NUL), u-s/u-m/u-e (place in a multi-byte unit), carry/carry-on, sel, uns,
   * mat, mat-cur, flash, scope (find in selection), hov, cur + cur-hex/cur-text, eof,
   * bm + bm-<colour> (in a bookmark) and bm-start (its first byte).
   */
  cellClass(k: number, pane: Pane): string {
    const f = this.flags[k];
    const base = pane === 'hex' ? 'hc' : 'tc';
    if (f & Cell.Eof) return base + ' eof' + (f & Cell.DiffInsert ? ' dif-ins' : '') + (f & Cell.Cursor ? cursorClass(this.pane, this.insertMode) : '');
    if (!(f & Cell.Data)) return base;
    let s = base + ' ' + KIND[f & Cell.KindMask];
    if (f & Cell.Zero) s += ' z';
    if (f & Cell.UnitStart) s += ' u-s';
    if (f & Cell.UnitMid) s += ' u-m';
    if (f & Cell.UnitEnd) s += ' u-e';
    if (f & Cell.Carry) s += ' carry';
    if (f & Cell.CarryOn) s += ' carry-on';
    if (f & Cell.Selected) s += ' sel';
    if (f & Cell.Unsaved) s += ' uns';
    if (f & Cell.Match) s += ' mat';
    if (f & Cell.CurrentMatch) s += ' mat-cur';
    if (f & Cell.Flash) s += ' flash';
    if (f & Cell.Diff) s += ' dif';
    if (f & Cell.CurrentDiff) s += ' dif-cur';
    if (f & Cell.DiffInsert) s += ' dif-ins';
    if (f & Cell.FindScope) s += ' scope';
    if (f & Cell.Bookmark) s += ' bm bm-' + (BOOKMARK_COLORS[this.bookmark[k] - 1] ?? BOOKMARK_COLORS[0]);
    if (f & Cell.BookmarkStart) s += ' bm-start';
    if (f & Cell.Hover) s += ' hov';
    if (f & Cell.Cursor) s += cursorClass(this.pane, this.insertMode);
    return s;
  }

  glyphClass(k: number): string {
    const span = this.span[k];
    return 'g' + (this.glyph[k] && span > 1 ? ' w' + span : '') + (this.flags[k] & Cell.Dim ? ' dim' : '');
  }
}

function cursorClass(pane: Pane, insertMode: boolean): string {
  return (pane === 'hex' ? ' cur cur-hex' : ' cur cur-text') + (insertMode ? ' cur-bar' : '');
}
