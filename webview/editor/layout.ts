/**
 * How the hex pane writes things: a byte cell in each cell format, the
 * address column, the header's column labels. The canvas, the accessible
 * row, the header and the test hook all take their text from here, so they
 * cannot disagree.
 *
 * Typing in the hex pane uses the cell format's digits, left to right over
 * the cell's fixed-width text (withDigit): "4" then "1" in hex, "0" "6" "5"
 * in decimal, eight bits in binary. Past 255 the digits after the typed
 * one become 0; a digit that cannot fit at all is refused.
 *
 * Addresses and column labels stay hex in every format, so that a row's
 * address plus a column's label is the byte's offset.
 */
import { DEFAULT_LAYOUT, type CellFormat, type LayoutSettings } from '../../shared/protocol';

/** Characters a cell of this format takes: 2 hex digits, 3 decimal or octal digits, 8 bits. */
export function cellDigits(format: CellFormat): number {
  return format === 'binary' ? 8 : format === 'decimal' || format === 'octal' ? 3 : 2;
}

const RADIX: Record<CellFormat, number> = { hex: 16, hexLower: 16, decimal: 10, octal: 8, binary: 2 };
const tables = new Map<CellFormat, readonly string[]>();

/** The text of each byte value 0..255 in `format`, fixed width (leading zeros), computed once per format. */
export function cellTexts(format: CellFormat): readonly string[] {
  let t = tables.get(format);
  if (!t) {
    const digits = cellDigits(format);
    t = Array.from({ length: 256 }, (_, b) => {
      const s = b.toString(RADIX[format]).padStart(digits, '0');
      return format === 'hex' ? s.toUpperCase() : s;
    });
    tables.set(format, t);
  }
  return t;
}

const NAMES: Record<CellFormat, string> = { hex: 'hex', hexLower: 'hex', decimal: 'decimal', octal: 'octal', binary: 'binary' };

export function formatName(format: CellFormat): string { return NAMES[format]; }

/** The value of a typed key as a digit of `format`, or undefined when it is not one. */
export function parseCellDigit(key: string, format: CellFormat): number | undefined {
  if (key.length !== 1) return undefined;
  const d = parseInt(key, RADIX[format]);
  return Number.isNaN(d) ? undefined : d;
}

/**
 * `value` with the digit at `position` (0: the leftmost) of its fixed-width
 * cell text set to `digit`. When that is more than 255 the digits after it
 * become 0 (typing "2" over decimal "066" gives "200", not a refusal, so any
 * value can be typed over any other); undefined when even that is too much
 * (a decimal "3" in the hundreds, an octal "4" in the first place). Hex and
 * binary digits always fit.
 */
export function withDigit(value: number, position: number, digit: number, format: CellFormat): number | undefined {
  const radix = RADIX[format];
  const weight = radix ** (cellDigits(format) - 1 - position);
  const result = value + (digit - (Math.floor(value / weight) % radix)) * weight;
  if (result <= 255) return result;
  const cleared = result - (result % weight);
  return cleared <= 255 ? cleared : undefined;
}

/** What a cell shows while its byte is loading: a dot per digit. */
export function loadingText(format: CellFormat): string {
  return '\u00b7'.repeat(cellDigits(format));
}

/** Hex digits of the address column: at least 8, enough for the last offset. */
export function addressDigitsFor(fileSize: number): number {
  return Math.max(8, Math.max(0, fileSize - 1).toString(16).length);
}

/** An address as drawn in the address column (lower-case hex when the cells are). */
export function formatAddress(offset: number, digits: number, format: CellFormat): string {
  const s = offset.toString(16).padStart(digits, '0');
  return format === 'hexLower' ? s : s.toUpperCase();
}

/** The header's label over column `col`: its offset in the row, in hex (two digits up to 0xFF). */
export function columnLabel(col: number, format: CellFormat): string {
  const s = col.toString(16).padStart(2, '0');
  return format === 'hexLower' ? s : s.toUpperCase();
}

/** The layout from a document's info, with the defaults for what it leaves out. */
export function layoutOf(info: { bytesPerRow: number; layout?: LayoutSettings }): LayoutSettings {
  return info.layout ?? { ...DEFAULT_LAYOUT, bytesPerRow: info.bytesPerRow };
}
