/**
 * The layout settings (hexmap.bytesPerRow, hexmap.groupSize,
 * hexmap.cellFormat) read into one checked LayoutSettings. Settings are
 * typed by hand into settings.json, so anything out of range falls back to
 * the nearest sensible value rather than reaching the webview: bytes per row
 * is clamped to 1..64 (a number or a numeric string; "fit" as is), an
 * unknown group size or format takes the default. Free of `vscode`, so it is
 * tested in plain Node.
 */
import { CELL_FORMATS, DEFAULT_BYTES_PER_ROW, DEFAULT_LAYOUT, GROUP_SIZES, MAX_BYTES_PER_ROW, type CellFormat, type GroupSize, type LayoutSettings } from '../../shared/protocol';


/** The keys under `hexmap.` that make up the layout. */
export const LAYOUT_KEYS = ['bytesPerRow', 'groupSize', 'cellFormat'] as const;

export function parseBytesPerRow(value: unknown): number | 'fit' {
  if (value === 'fit') return 'fit';
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return DEFAULT_BYTES_PER_ROW;
  return Math.max(1, Math.min(MAX_BYTES_PER_ROW, Math.round(n)));
}

/** The layout from a settings getter (`get('groupSize')` returns the raw value, undefined when unset). */
export function readLayout(get: (key: (typeof LAYOUT_KEYS)[number]) => unknown): LayoutSettings {
  const group = get('groupSize');
  const format = get('cellFormat');
  return {
    bytesPerRow: get('bytesPerRow') === undefined ? DEFAULT_BYTES_PER_ROW : parseBytesPerRow(get('bytesPerRow')),
    groupSize: GROUP_SIZES.includes(group as GroupSize) ? group as GroupSize : DEFAULT_LAYOUT.groupSize,
    cellFormat: CELL_FORMATS.includes(format as CellFormat) ? format as CellFormat : DEFAULT_LAYOUT.cellFormat,
  };
}

/** Bytes per row for a DocumentInfo, which needs a number: "fit" starts at the default until the webview measures. */
export function fixedBytesPerRow(layout: LayoutSettings): number {
  return layout.bytesPerRow === 'fit' ? DEFAULT_BYTES_PER_ROW : layout.bytesPerRow;
}

export const CELL_FORMAT_NAMES: Record<CellFormat, string> = {
  hex: 'Hex (upper case)', hexLower: 'Hex (lower case)', decimal: 'Decimal (000–255)', octal: 'Octal (000–377)', binary: 'Binary (8 bits)',
};

/** "16 bytes per row, groups of 8, Hex (upper case)" — the quick pick's and status line's summary. */
export function describeLayout(l: LayoutSettings): string {
  const rows = l.bytesPerRow === 'fit' ? 'fit to width' : `${l.bytesPerRow} byte${l.bytesPerRow === 1 ? '' : 's'} per row`;
  return `${rows}, ${l.groupSize === 1 ? 'no groups' : `groups of ${l.groupSize}`}, ${CELL_FORMAT_NAMES[l.cellFormat]}`;
}
