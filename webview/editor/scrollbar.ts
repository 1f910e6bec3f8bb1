/**
 * The custom vertical scrollbar. Its thumb maps linearly onto the top row
 * (ScrollModel), so it can be dragged to any point of a 64 GB file, both
 * ends included; clicking the track pages. It is a pointer affordance: the
 * keyboard scrolls through the grid's own keys.
 */
import type { HexEditor } from './editor';

export class Scrollbar {
  private readonly track: HTMLElement;
  private readonly thumb: HTMLElement;

  constructor(private readonly editor: HexEditor, parent: HTMLElement) {
    this.track = document.createElement('div');
    this.track.className = 'scrollbar';
    this.track.setAttribute('role', 'scrollbar');
    this.track.setAttribute('aria-orientation', 'vertical');
    this.track.setAttribute('aria-controls', 'hexmap-grid');
    this.track.setAttribute('aria-label', 'Position in file');
    this.thumb = document.createElement('div');
    this.thumb.className = 'thumb';
    this.track.appendChild(this.thumb);
    parent.appendChild(this.track);
    this.install();
    new ResizeObserver(() => { this.trackLength = this.track.clientHeight; this.update(); }).observe(this.track);
    editor.onFrame(() => this.update());
  }

  /**
   * Track height, kept by a ResizeObserver: reading clientHeight every frame
   * would force a synchronous layout in the middle of scrolling.
   */
  private trackLength = 0;

  update(): void {
    const s = this.editor.scroll;
    const track = this.trackLength;
    this.track.hidden = s.totalRows <= s.fullRows;
    this.thumb.style.height = `${s.thumbLength(track)}px`;
    this.thumb.style.transform = `translateY(${s.thumbPosition(track)}px)`;
    const percent = s.maxTopRow === 0 ? 0 : Math.round((s.topRow / s.maxTopRow) * 100);
    this.track.setAttribute('aria-valuenow', String(percent));
    this.track.setAttribute('aria-valuetext', `offset 0x${this.editor.topOffset.toString(16).toUpperCase()} (${percent}%)`);
  }

  private install(): void {
    let grab: { pointerStart: number; thumbStart: number } | undefined;
    this.thumb.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      grab = { pointerStart: e.clientY, thumbStart: this.editor.scroll.thumbPosition(this.trackLength) };
      this.thumb.setPointerCapture(e.pointerId);
      this.thumb.classList.add('active');
    });
    this.thumb.addEventListener('pointermove', (e) => {
      if (!grab) return;
      const row = this.editor.scroll.rowAtThumb(grab.thumbStart + e.clientY - grab.pointerStart, this.trackLength);
      this.editor.scrollToRow(row);
    });
    const release = (): void => { grab = undefined; this.thumb.classList.remove('active'); };
    this.thumb.addEventListener('pointerup', release);
    this.thumb.addEventListener('pointercancel', release);
    this.track.addEventListener('pointerdown', (e) => {
      if (e.target !== this.track) return;
      e.preventDefault();
      const s = this.editor.scroll;
      const thumbTop = this.track.getBoundingClientRect().top + s.thumbPosition(this.trackLength);
      this.editor.scrollRows(e.clientY < thumbTop ? -s.fullRows : s.fullRows);
    });
  }
}
