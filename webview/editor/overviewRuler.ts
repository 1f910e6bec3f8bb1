/**
 * A strip over the scrollbar with marks for the whole file, like VS Code's
 * overview ruler: lanes for unsaved edits, find matches, invalid sequences
 * and bookmarks (left to right), and a comparison's differences across the
 * whole width beneath them. A mark sits at its offset's share of the track
 * and is at least 2 px tall.
 *
 * WHY buckets: Find All can give millions of matches and Replace All as many
 * unsaved runs, but the strip has only a few hundred pixel rows. Each lane is
 * first reduced to one bit per device-pixel row (one pass over its marks),
 * then every run of marked rows is one fillRect. The strip is redrawn only
 * when one of its inputs or its size changes, and lets the pointer through
 * to the scrollbar beneath.
 */
import { BOOKMARK_COLORS, type ByteRange } from '../../shared/protocol';
import type { HexEditor } from './editor';
import { readPalette, type Palette } from './palette';

/** Lanes, left to right. */
export const LANES = ['unsaved', 'matches', 'invalid', 'bookmarks'] as const;
export type Lane = (typeof LANES)[number];
/** Smallest mark, in CSS px. */
const MIN_MARK = 2;

/** Marked rows as runs: [top, height] in CSS px from the strip's top (tests read them). */
export type Runs = [number, number][];

export class OverviewRuler {
  readonly canvas: HTMLCanvasElement;
  private inputs: unknown[] = [];
  private height = 0;
  private palette: Palette | undefined;

  constructor(private readonly editor: HexEditor, parent: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'overview-ruler';
    this.canvas.setAttribute('aria-hidden', 'true');
    parent.appendChild(this.canvas);
    new ResizeObserver(() => { this.height = this.canvas.clientHeight; this.update(); }).observe(this.canvas);
    // A theme change rewrites <body>'s class or <html>'s style: the colours are read again.
    const themed = new MutationObserver(() => { this.palette = undefined; this.inputs = []; this.update(); });
    themed.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    themed.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    editor.onFrame(() => this.update());
  }

  /** Where each comparison mark was drawn, in CSS px from the strip's top. */
  positions: { top: number; height: number }[] = [];
  /** Each lane's marked rows as drawn (runs of device rows, in CSS px). */
  lanes: Record<Lane, Runs> = { unsaved: [], matches: [], invalid: [], bookmarks: [] };

  private update(): void {
    const ed = this.editor;
    const { overview, current } = ed.diff;
    const h = ed.highlights;
    const inputs = [overview, current, ed.unsaved, h.matches, h.matches.length, h.matchLength, h.current, ed.invalidMarks, ed.bookmarks, ed.fileSize, this.height];
    if (inputs.length === this.inputs.length && inputs.every((v, i) => v === this.inputs[i])) return;
    this.inputs = inputs;
    const empty = overview.length === 0 && ed.unsaved.length === 0 && h.matches.length === 0 && ed.invalidMarks.offsets.length === 0 && ed.bookmarks.length === 0;
    this.canvas.hidden = empty;
    this.canvas.dataset.marks = '';
    if (empty || this.height === 0) { this.positions = []; this.lanes = { unsaved: [], matches: [], invalid: [], bookmarks: [] }; return; }
    const p = (this.palette ??= readPalette(this.canvas.parentElement ?? document.body));
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 12;
    const rows = Math.max(1, Math.round(this.height * dpr));
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = rows;
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, rows);
    const size = Math.max(1, ed.fileSize);
    const scale = rows / size; // device rows per byte
    const minRows = Math.max(1, Math.round(MIN_MARK * dpr));
    const full = this.canvas.width;
    const laneWidth = full / LANES.length;

    // A comparison's differences: the whole width, under the lanes.
    const style = getComputedStyle(this.canvas);
    ctx.fillStyle = style.color || '#f14c4c';
    const place = (r: ByteRange): { top: number; height: number } => {
      const top = Math.min(this.height - MIN_MARK, (r.offset * scale) / dpr);
      return { top, height: Math.max(MIN_MARK, (r.length * scale) / dpr) };
    };
    this.positions = overview.map(place);
    for (const q of this.positions) ctx.fillRect(0, q.top * dpr, full, q.height * dpr);
    if (current) {
      const q = place(current);
      ctx.fillStyle = style.borderLeftColor || ctx.fillStyle;
      ctx.fillRect(0, (q.top - 1) * dpr, full, (q.height + 2) * dpr);
    }

    const bucket = new Bucket(rows, scale, minRows);
    const lanes = {} as Record<Lane, Runs>;
    const lane = (name: Lane, color: string, fill: (b: Bucket) => void): void => {
      bucket.clear();
      fill(bucket);
      ctx.fillStyle = color;
      const x = LANES.indexOf(name) * laneWidth;
      lanes[name] = bucket.runs((top, n) => ctx.fillRect(x, top, laneWidth, n), dpr);
    };
    lane('unsaved', p.rulerModified, (b) => { for (const r of ed.unsaved) b.mark(r.offset, r.length); });
    lane('matches', p.rulerMatch, (b) => { for (const m of h.matches) b.mark(m, h.matchLength); });
    lane('invalid', p.rulerError, (b) => { for (const o of ed.invalidMarks.offsets) b.mark(o, 1); });
    // Bookmarks in their own colours, one colour at a time.
    const byColor = new Map<number, ByteRange[]>();
    for (const bm of ed.bookmarks) {
      const k = Math.max(0, BOOKMARK_COLORS.indexOf(bm.color));
      let list = byColor.get(k);
      if (!list) byColor.set(k, (list = []));
      list.push({ offset: bm.start, length: bm.length });
    }
    const bookmarkRuns: Runs = [];
    for (const [k, list] of byColor) {
      lane('bookmarks', p.bookmarks[k], (b) => { for (const r of list) b.mark(r.offset, r.length); });
      bookmarkRuns.push(...lanes.bookmarks);
    }
    lanes.bookmarks = bookmarkRuns.sort((a, b) => a[0] - b[0]);
    // The current match: across the lanes, so it stands out among thousands.
    if (h.current >= 0) {
      const top = Math.min(rows - minRows, Math.floor(h.current * scale));
      ctx.fillStyle = p.rulerMatch;
      ctx.fillRect(0, top, full, minRows);
    }
    this.lanes = lanes;
    this.canvas.dataset.marks = JSON.stringify(lanes);
  }
}

/** One bit per device-pixel row of the strip. */
class Bucket {
  private readonly rows: Uint8Array;

  constructor(size: number, private readonly scale: number, private readonly minRows: number) {
    this.rows = new Uint8Array(size);
  }

  clear(): void { this.rows.fill(0); }

  mark(offset: number, length: number): void {
    const n = this.rows.length;
    const top = Math.min(n - this.minRows, Math.floor(offset * this.scale));
    const end = Math.min(n, Math.max(top + this.minRows, Math.ceil((offset + length) * this.scale)));
    for (let r = Math.max(0, top); r < end; r++) this.rows[r] = 1;
  }

  /** Calls draw(top, rows) for every run of marked rows; returns the runs in CSS px. */
  runs(draw: (top: number, rows: number) => void, dpr: number): Runs {
    const out: Runs = [];
    const n = this.rows.length;
    for (let r = 0; r < n; r++) {
      if (!this.rows[r]) continue;
      let e = r;
      while (e < n && this.rows[e]) e++;
      draw(r, e - r);
      out.push([r / dpr, (e - r) / dpr]);
      r = e;
    }
    return out;
  }
}
