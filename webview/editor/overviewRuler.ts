/**
 * A thin strip over the right edge of the scrollbar with a mark for every
 * difference of a comparison (the host's coarse `overview`: at most about
 * 1,000 merged ranges), so the whole file's differences show at a glance.
 * A mark is at least 2 px tall, at the offset's share of the track. It is
 * drawn on a canvas only when the overview or the strip's size changes, and
 * lets the pointer through to the scrollbar beneath.
 */
import type { ByteRange } from '../../shared/protocol';
import type { HexEditor } from './editor';

export class OverviewRuler {
  readonly canvas: HTMLCanvasElement;
  private drawn: { marks: readonly ByteRange[]; size: number; height: number; current?: ByteRange } | undefined;
  private height = 0;

  constructor(private readonly editor: HexEditor, parent: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'overview-ruler';
    this.canvas.setAttribute('aria-hidden', 'true');
    parent.appendChild(this.canvas);
    new ResizeObserver(() => { this.height = this.canvas.clientHeight; this.update(); }).observe(this.canvas);
    editor.onFrame(() => this.update());
  }

  /** Where each mark was drawn, in CSS px from the strip's top (tests read it). */
  positions: { top: number; height: number }[] = [];

  private update(): void {
    const { overview, current } = this.editor.diff;
    const size = this.editor.fileSize;
    const d = this.drawn;
    if (d && d.marks === overview && d.size === size && d.height === this.height && d.current === current) return;
    this.drawn = { marks: overview, size, height: this.height, current };
    this.canvas.hidden = overview.length === 0;
    if (overview.length === 0 || this.height === 0) { this.positions = []; return; }
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 4;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, this.height);
    const style = getComputedStyle(this.canvas);
    const scale = this.height / Math.max(1, size);
    const place = (r: ByteRange): { top: number; height: number } => {
      const top = Math.min(this.height - 2, r.offset * scale);
      return { top, height: Math.max(2, r.length * scale) };
    };
    ctx.fillStyle = style.color || '#f14c4c';
    this.positions = overview.map(place);
    for (const p of this.positions) ctx.fillRect(0, p.top, width, p.height);
    if (current) {
      // The current difference: the full width of the strip and a darker outline.
      const p = place(current);
      ctx.fillStyle = style.borderLeftColor || ctx.fillStyle;
      ctx.fillRect(0, p.top - 1, width, p.height + 2);
    }
  }
}
