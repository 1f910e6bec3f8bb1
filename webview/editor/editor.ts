/**
 * The editor: owns the state (document info, cache, scroll position,
 * selection, highlights) and turns it into frames. Input handling lives in
 * keyboard.ts / mouse.ts / scrollbar.ts and the two widgets; they call the
 * small API below, so every path (key, mouse, host 'reveal') moves the
 * cursor the same way.
 */
import { DEFAULT_LAYOUT, MAX_BATCH_BYTES, MAX_BYTES_PER_ROW, MAX_EDIT_LENGTH, type BatchEditMessage, type BookmarkRange, type ByteRange, type DocumentInfo, type HostMessage, type LayoutSettings, type ReadResult } from '../../shared/protocol';
import { addressDigitsFor, layoutOf } from './layout';
import { renderHeader, SCROLLBAR_WIDTH } from './layoutHeader';
import { MessageBar, type Level } from './messageBar';
import { markRanges } from './ranges';
import { bookmarkCells } from './bookmarkCells';
import { Mark, type Pane } from './drawList';
import { GridView } from './gridView';
import { ScrollModel } from './scrollModel';
import { Selection } from './selection';
import { layoutSpan } from './textLayout';
import { codecFor, type TextCodec } from '../../shared/encodings';
import type { HostChannel } from './vscodeApi';
import { WindowCache } from './windowCache';

export interface Highlights {
  matches: number[];
  matchLength: number;
  current: number;
}

export class HexEditor {
  info: DocumentInfo;
  readonly cache: WindowCache;
  readonly scroll = new ScrollModel();
  readonly sel = new Selection();
  readonly renderer: GridView;
  readonly messages: MessageBar;
  readonly grid: HTMLElement;
  readonly viewport: HTMLElement;
  hover = -1;
  unsaved: ByteRange[];
  highlights: Highlights = { matches: [], matchLength: 0, current: -1 };
  /** The find widget's "find in selection" scope, shaded in both panes. */
  findScope: ByteRange | undefined;
  /** A comparison's differences around the view, its current one and the whole-file overview. */
  diff: { ranges: ByteRange[]; current?: ByteRange; overview: ByteRange[] } = { ranges: [], overview: [] };
  /** The document's bookmarks (the host's, sorted by start). */
  bookmarks: BookmarkRange[] = [];
  /** Invalid sequences a whole-file scan found (the first ones; `total` counts all), for the scrollbar. */
  invalidMarks: { offsets: number[]; total: number } = { offsets: [], total: 0 };
  /** Typing and paste insert bytes (true) or overwrite them (false). */
  insertMode = false;
  /** The layout settings; bytesPerRow 'fit' is resolved against the width in relayout(). */
  layout: LayoutSettings;
  /** Bytes per row drawn now (the setting, or what fits the width). */
  private rowBytes: number;
  /** The header as last built (rebuilt only when its columns change). */
  private headerKey = '';
  /**
   * Size-changing edits sent whose 'changed' has not come back yet. Their
   * 'changed' is our own echo: the cursor was already placed, so it must not
   * be shifted again as it is for an insert made in another editor.
   */
  private pendingResizes = 0;
  /** Changes made outside VS Code flash briefly. */
  private flash: ByteRange[] = [];
  private flashStart = 0;
  private direction: -1 | 0 | 1 = 0;
  private frameRequested = false;
  private rowHeight = 20;
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  private viewportTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly frameListeners: (() => void)[] = [];
  private readonly scrollListeners: (() => void)[] = [];
  /** Called when the text encoding changes (the find widget re-encodes its query). */
  readonly encodingListeners: (() => void)[] = [];
  private firstCompleteFrame = false;
  /** Frames drawn so far (tests and the bench wait on it). */
  frames = 0;

  /** `scaffold`: the DOM built by buildScaffold while 'init' was on its way (else built here). */
  constructor(readonly root: HTMLElement, readonly channel: HostChannel, info: DocumentInfo, initialWindow?: ReadResult, scaffold?: Scaffold) {
    this.info = info;
    this.unsaved = info.unsaved;
    this.insertMode = info.insertMode ?? false;
    this.layout = layoutOf(info);
    this.rowBytes = this.layout.bytesPerRow === 'fit' ? info.bytesPerRow : this.layout.bytesPerRow;
    this.cache = new WindowCache(
      (offset, length) => channel.request({ kind: 'read', offset, length }).result as Promise<ReadResult>,
      // Draw as soon as bytes arrive rather than on the next animation frame:
      // the frame then paints with data one frame earlier (a render costs < 1 ms).
      () => this.renderNow(), info.fileSize);
    if (initialWindow) this.cache.seed(initialWindow);

    const parts = scaffold ?? buildScaffold(root);
    this.viewport = parts.viewport;
    this.grid = parts.grid;
    this.renderer = parts.renderer;
    this.grid.setAttribute('aria-readonly', String(info.readOnly));
    this.messages = new MessageBar(root);
    // Laid out, not drawn: the first frame is drawn once, by whoever constructs the editor (main.ts's
    // start), after the saved position is restored. Every frame before the page's `load` holds back
    // VS Code showing the webview.
    this.applyInfo(false);
    // Its first callback reports the size just measured: only a real change lays out again.
    new ResizeObserver(() => this.relayoutIfChanged()).observe(this.viewport);
    this.grid.addEventListener('focus', () => this.requestFrame());
    this.grid.addEventListener('blur', () => this.requestFrame());
    // VS Code applies a theme (and the editor font) by rewriting <html>'s style and <body>'s class.
    const themed = new MutationObserver(() => { this.renderer.themeChanged(); this.relayout(); });
    themed.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    themed.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.watchPixelRatio();
    // A web font that loads late changes the glyphs' widths (fonts that finish loading, not `ready`,
    // which also resolves at once when nothing loads).
    document.fonts?.addEventListener('loadingdone', () => this.relayoutIfChanged());
  }

  get bytesPerRow(): number { return this.rowBytes; }
  /** The text pane's encoding: what the text cells draw, what typing writes, how text is searched. */
  get codec(): TextCodec { return codecFor(this.info.encoding ?? 'utf-8'); }
  get fileSize(): number { return this.info.fileSize; }
  get topOffset(): number { return this.scroll.topRow * this.bytesPerRow; }

  onFrame(listener: () => void): void { this.frameListeners.push(listener); }
  onScroll(listener: () => void): void { this.scrollListeners.push(listener); }

  // ----------------------------------------------------------- geometry

  private applyInfo(render = true): void {
    const digits = addressDigitsFor(this.fileSize);
    this.root.style.setProperty('--addr-digits', String(digits));
    this.grid.setAttribute('aria-label', `${this.info.fileName}: hex and ${this.codec.label} text, ${groupDigits(this.fileSize)} bytes${this.info.readOnly ? ', read-only' : ''}${this.insertMode ? ', insert mode' : ''}`);
    let note = this.root.querySelector<HTMLElement>('.empty-note');
    if (this.fileSize === 0 && !note) {
      note = div('empty-note');
      note.textContent = `${this.info.fileName} is empty (0 bytes). Press Insert for insert mode to type or paste bytes into it.`;
      this.viewport.appendChild(note);
    } else if (this.fileSize > 0 || this.insertMode) note?.remove();
    this.relayout(render);
  }

  /**
   * Recomputes the canvas size, the cell geometry, the bytes per row (with
   * 'fit', what fits the width now) and the rows that fit. When the bytes
   * per row change, the cursor's byte stays on the screen row it was on (or,
   * when it was off screen, the top byte stays on top).
   */
  relayout(render = true): void {
    const m = measureRows(this.root, this.viewport);
    const { rowHeight, visible, full } = m;
    this.rowHeight = rowHeight;
    const digits = addressDigitsFor(this.fileSize);
    const cells = { groupSize: this.layout.groupSize, cellFormat: this.layout.cellFormat };
    const oldBytes = this.rowBytes;
    let bytes = this.layout.bytesPerRow === 'fit' ? oldBytes : this.layout.bytesPerRow;
    this.renderer.layout(m.width, m.height, rowHeight, m.font, bytes, digits, cells);
    if (this.layout.bytesPerRow === 'fit') {
      const fitting = this.renderer.geometry.fitBytesPerRow(m.width, MAX_BYTES_PER_ROW, SCROLLBAR_WIDTH);
      if (fitting !== bytes) this.renderer.layout(m.width, m.height, rowHeight, m.font, bytes = fitting, digits, cells);
    }
    this.rowBytes = bytes;
    this.measured = measureKey(m, this.renderer.geometry.ch);
    this.root.style.setProperty('--ch', `${this.renderer.geometry.ch}px`);
    this.renderHeader(digits);
    const totalRows = this.totalRows();
    this.grid.setAttribute('aria-rowcount', String(Math.max(1, totalRows)));
    const topBefore = this.scroll.topRow;
    const cursorScreenRow = Math.floor(this.sel.cursor / oldBytes) - topBefore;
    const cursorWasShown = cursorScreenRow >= 0 && cursorScreenRow < this.scroll.fullRows;
    this.scroll.setGeometry(totalRows, visible, full);
    if (bytes !== oldBytes) {
      this.scroll.scrollTo(cursorWasShown ? Math.floor(this.sel.cursor / bytes) - cursorScreenRow : Math.floor((topBefore * oldBytes) / bytes));
      this.afterScroll(topBefore);
    }
    if (render) this.renderNow();
  }

  /** What the last relayout measured (size, font, `ch`), so a resize or font load that changed nothing costs no frame. */
  private measured = '';

  /** Lays out again only when the viewport's size or the font's metrics changed since the last relayout. */
  private relayoutIfChanged(): void {
    const m = measureRows(this.root, this.viewport);
    if (measureKey(m, this.renderer.measureCh()) !== this.measured) this.relayout();
  }

  /** Rebuilds the header when its columns or the text encoding changed (or the font, which moves them). */
  private renderHeader(digits: number): void {
    const g = this.renderer.geometry;
    const key = `${g.bytesPerRow}|${digits}|${g.groupSize}|${g.cellFormat}|${g.ch}|${this.codec.label}`;
    if (key === this.headerKey) return;
    this.headerKey = key;
    renderHeader(this.root, g, this.codec.label);
  }

  /** Rows of the file; in insert mode one more place after the last byte, where typing appends. */
  private totalRows(): number {
    return Math.ceil((this.fileSize + (this.insertMode ? 1 : 0)) / this.bytesPerRow);
  }

  /** Last offset the cursor may take: the end of the file in insert mode, else the last byte. */
  get lastCursor(): number { return this.insertMode ? this.fileSize : Math.max(0, this.fileSize - 1); }

  setInsertMode(on: boolean, tellHost: boolean): void {
    if (on === this.insertMode) return;
    this.insertMode = on;
    // Overwrite mode has no place after the last byte: the cursor and anchor step back onto it.
    if (!on && this.sel.anchor >= this.fileSize) this.sel.anchor = Math.max(0, this.fileSize - 1);
    if (!on && this.sel.cursor >= this.fileSize) this.sel.moveTo(this.fileSize - 1, true, this.fileSize);
    if (tellHost) this.channel.post({ type: 'insertMode', insert: on });
    this.applyInfo();
  }

  // ----------------------------------------------------------- navigation

  /** Moves the cursor (extending the selection with shift) and scrolls it into view. */
  moveCursor(offset: number, extend: boolean): void {
    if (this.fileSize === 0 && !this.insertMode) return;
    const before = this.scroll.topRow;
    this.sel.moveTo(offset, extend, this.fileSize, this.insertMode);
    this.scroll.reveal(Math.floor(this.sel.cursor / this.bytesPerRow));
    this.afterMove(before);
  }

  /** Selects [offset, offset+length) and centres it when it is off screen. */
  select(offset: number, length: number): void {
    if (this.fileSize === 0) return;
    const before = this.scroll.topRow;
    this.sel.select(offset, length, this.fileSize);
    this.centre(this.sel.cursor);
    this.afterMove(before);
  }

  private centre(offset: number): void {
    const row = Math.floor(offset / this.bytesPerRow);
    if (row < this.scroll.topRow || row >= this.scroll.topRow + this.scroll.fullRows) {
      this.scroll.scrollTo(row - Math.floor(this.scroll.fullRows / 2));
    }
  }

  setPane(pane: Pane): void {
    if (this.sel.pane !== pane) { this.sel.pane = pane; this.sel.digit = 0; }
    this.requestFrame();
    this.selectionChanged();
  }

  scrollRows(rows: number): void {
    const before = this.scroll.topRow;
    if (this.scroll.scrollBy(rows)) this.afterScroll(before);
  }

  scrollToRow(row: number): void {
    const before = this.scroll.topRow;
    if (this.scroll.scrollTo(row)) this.afterScroll(before);
  }

  wheel(deltaY: number, deltaMode: number): void {
    const before = this.scroll.topRow;
    if (!this.scroll.wheel(deltaY, deltaMode, this.rowHeight)) return;
    if (this.scroll.topRow !== before) this.afterScroll(before);
    else this.requestFrame(); // moved by a fraction of a row: same bytes, new position
  }

  /** Redraws crisp when devicePixelRatio changes (zoom, a window moved to another monitor). */
  private watchPixelRatio(): void {
    const query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query.addEventListener('change', () => { this.renderNow(); this.watchPixelRatio(); }, { once: true });
  }

  private afterMove(topBefore: number): void {
    if (this.scroll.topRow !== topBefore) this.afterScroll(topBefore);
    else this.requestFrame();
    this.selectionChanged();
  }

  /**
   * Bytes were inserted or deleted elsewhere (another editor, undo): the
   * cursor and anchor after the change move with the bytes they were on.
   */
  private followResize(ranges: ByteRange[] | undefined, delta: number): void {
    if (!ranges?.length) return;
    const at = ranges[0].offset;
    const follow = (p: number): number => (p < at ? p : Math.max(at, p + delta));
    const anchor = follow(this.sel.anchor);
    this.sel.cursor = follow(this.sel.cursor);
    this.sel.anchor = anchor;
  }

  /** A scroll the user made is reported as 'viewport'; one the host asked for ('scrollTo') is not. */
  private reportViewport = false;

  private afterScroll(topBefore: number, report = true): void {
    this.reportViewport ||= report;
    this.direction = this.scroll.topRow > topBefore ? 1 : -1;
    this.hover = -1; // the byte under the pointer moved away; the next pointermove sets it again
    // Ask for the bytes now, not when the next frame renders: saves a frame on jumps.
    const start = this.topOffset;
    this.cache.ensure(start, Math.min(this.fileSize, start + this.renderer.rowCount * this.bytesPerRow), this.direction);
    for (const l of this.scrollListeners) l();
    this.requestFrame();
    clearTimeout(this.viewportTimer);
    this.viewportTimer = setTimeout(() => {
      if (this.reportViewport) this.channel.post({ type: 'viewport', topOffset: this.topOffset });
      this.reportViewport = false;
      this.channel.setState({ topOffset: this.topOffset, cursor: this.sel.cursor });
      this.keepEndCached();
    }, 150);
  }

  /**
   * Keeps the file's last window in the cache (fetched once, then only
   * touched so the LRU keeps it): Ctrl+End then paints on the next frame
   * instead of after a round trip to the host.
   */
  private keepEndCached(): void {
    if (this.fileSize > 0) this.cache.ensure(this.fileSize - 1, this.fileSize, 0);
  }

  /** Tells the host where the cursor is (status bar, inspector), lightly debounced. */
  selectionChanged(): void {
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => {
      this.channel.post({ type: 'selection', cursor: this.sel.cursor, anchor: this.sel.anchor, focusedPane: this.sel.pane });
    }, 30);
  }

  // ---------------------------------------------------------------- edits

  /** Bytes of [offset, offset+length) if they are all in the cache. */
  knownBytes(offset: number, length: number): Uint8Array | undefined {
    const a = this.cache.assemble(offset, offset + length);
    if (a.known && a.known.includes(0)) return undefined;
    return a.bytes.length === length ? a.bytes : undefined;
  }

  /** True when an edit may go ahead; otherwise tells the user why not. */
  canEdit(): boolean {
    if (!this.info.readOnly) return true;
    this.notify('warning', `Cannot edit: ${this.info.readOnlyReason ?? 'this document is read-only'}. Nothing was changed.`);
    return false;
  }

  /**
   * Overwrites bytes at `offset` (never past the end: overwrite mode keeps
   * the size). Shows the bytes at once and sends one undoable edit
   * (`amend`: part of the previous one, see editCommands.ts typeCellDigit).
   */
  edit(offset: number, bytes: Uint8Array, label: string, amend = false): boolean {
    if (!this.canEdit()) return false;
    if (bytes.length > MAX_EDIT_LENGTH) {
      this.notify('warning', `${groupDigits(bytes.length)} bytes is more than one edit may hold (${MAX_EDIT_LENGTH / 2 ** 20} MiB).`);
      return false;
    }
    if (offset + bytes.length > this.fileSize) {
      this.notify('warning', `${bytes.length} byte(s) do not fit at offset 0x${offset.toString(16).toUpperCase()}: only ${this.fileSize - offset} byte(s) remain before the end, and overwrite mode never changes the file size (press Insert to insert instead).`);
      return false;
    }
    this.cache.patch(offset, bytes);
    this.unsaved = addRange(this.unsaved, { offset, length: bytes.length });
    this.channel.post(amend ? { type: 'edit', offset, bytes, label, amend } : { type: 'edit', offset, bytes, label });
    this.requestFrame();
    return true;
  }

  /**
   * Replaces [offset, offset + deleteLength) with `bytes` (an insert when
   * deleteLength is 0, a delete when bytes is empty) as one undoable edit.
   * The cached windows are stale from `offset` on (everything after it
   * moved): they stay drawn until the host's bytes replace them.
   */
  replace(offset: number, deleteLength: number, bytes: Uint8Array, label: string): boolean {
    if (deleteLength === bytes.length) return deleteLength === 0 || this.edit(offset, bytes, label);
    return this.editBatch([{ offset, deleteLength, bytes }], label);
  }

  /** Many replaces (sorted, apart, offsets before the batch) as ONE undoable edit: Replace All. */
  editBatch(edits: BatchEditMessage[], label: string): boolean {
    if (edits.length === 0 || !this.canEdit()) return false;
    let delta = 0;
    let total = 0;
    for (const e of edits) { delta += e.bytes.length - e.deleteLength; total += e.bytes.length; }
    const limit = edits.length === 1 ? MAX_EDIT_LENGTH : MAX_BATCH_BYTES;
    if (total > limit) {
      this.notify('warning', `${groupDigits(total)} bytes is more than one edit may hold (${limit / 2 ** 20} MiB).`);
      return false;
    }
    const last = edits[edits.length - 1];
    if (last.offset + last.deleteLength > this.fileSize) return false;
    if (edits.length === 1) this.channel.post({ type: 'edit', offset: last.offset, bytes: last.bytes, deleteLength: last.deleteLength, label });
    else this.channel.post({ type: 'editBatch', edits, label });
    if (delta !== 0) {
      this.pendingResizes++;
      this.info = { ...this.info, fileSize: this.fileSize + delta };
      this.cache.setFileSize(this.fileSize);
      this.cache.invalidate(undefined);
      this.applyInfo();
    } else this.cache.invalidate(edits.map((e) => ({ offset: e.offset, length: e.bytes.length })));
    // Show the new bytes at once where the stale windows still hold the old ones in place.
    if (delta === 0 || edits.length === 1) for (const e of edits) if (e.bytes.length) this.cache.patch(e.offset, e.bytes);
    this.requestFrame();
    return true;
  }

  notify(level: Level, message: string): void {
    this.messages.show(level, message);
  }

  setHighlights(h: Highlights): void {
    this.highlights = h;
    this.requestFrame();
  }

  setFindScope(scope: ByteRange | undefined): void {
    this.findScope = scope;
    this.requestFrame();
  }

  // --------------------------------------------------------- host messages

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'changed': {
        const oldSize = this.fileSize;
        const echo = this.pendingResizes > 0;
        if (echo) this.pendingResizes--;
        // While more of our own resizes are on their way the local size already counts them.
        const fileSize = this.pendingResizes > 0 ? this.fileSize : message.fileSize;
        const sizeChanged = fileSize !== oldSize;
        if (sizeChanged && !echo) this.followResize(message.ranges, fileSize - oldSize);
        this.info = { ...this.info, fileSize, readOnly: message.readOnly, readOnlyReason: message.readOnlyReason };
        this.unsaved = message.unsaved;
        this.cache.setFileSize(fileSize);
        this.cache.invalidate(message.ranges);
        this.grid.setAttribute('aria-readonly', String(message.readOnly));
        if (!message.keepsTyping) this.sel.digit = 0;
        if (message.flash && message.ranges) {
          this.flash = message.ranges;
          this.flashStart = performance.now();
        }
        if (sizeChanged) {
          if (this.sel.cursor > this.lastCursor) this.sel.moveTo(this.lastCursor, false, fileSize, this.insertMode);
          if (this.sel.anchor > this.lastCursor) this.sel.anchor = this.sel.cursor;
          this.applyInfo();
          this.selectionChanged();
        } else this.requestFrame();
        return;
      }
      case 'reveal':
        this.select(message.offset, message.length);
        return;
      case 'insertMode':
        this.setInsertMode(message.insert, false);
        return;
      case 'scrollTo': {
        // Not echoed as 'viewport': a scroll lock relaying it back would loop.
        const before = this.scroll.topRow;
        if (this.scroll.scrollTo(Math.floor(message.topOffset / this.bytesPerRow))) this.afterScroll(before, false);
        return;
      }
      case 'decorations':
        this.diff = { ranges: message.ranges, current: message.current, overview: message.overview ?? (message.ranges.length ? this.diff.overview : []) };
        this.requestFrame();
        return;
      case 'encoding':
        this.info = { ...this.info, encoding: message.encoding };
        this.applyInfo();
        for (const l of this.encodingListeners) l();
        this.requestFrame();
        return;
      case 'bookmarks':
        this.bookmarks = message.ranges;
        this.requestFrame();
        return;
      case 'invalidMarks':
        this.invalidMarks = { offsets: message.offsets, total: message.total };
        this.requestFrame();
        return;
      case 'settings': {
        // Re-laid at once; the cursor's byte stays in view (relayout keeps its screen row).
        this.layout = message.layout ?? { ...DEFAULT_LAYOUT, bytesPerRow: message.bytesPerRow };
        this.info = { ...this.info, bytesPerRow: message.bytesPerRow, layout: message.layout };
        this.sel.digit = 0; // a half-typed cell starts over: its digits may have changed
        this.relayout();
        this.centre(this.sel.cursor);
        this.requestFrame();
        return;
      }
      default:
    }
  }

  // --------------------------------------------------------------- frames

  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      // Drawn meanwhile (flushFrame, bytes arriving, a relayout): nothing left to draw.
      if (this.frameRequested) this.renderNow();
    });
  }

  /**
   * Draws a requested frame now instead of at the next animation frame. For
   * discrete moves (a key, go to offset): the browser then paints the new
   * view in the coming frame, not one frame later. Not for a stream of
   * events (wheel, drag), which the animation frame coalesces.
   */
  flushFrame(): void {
    if (this.frameRequested) this.renderNow();
  }

  renderNow(): void {
    this.frameRequested = false;
    const bpr = this.bytesPerRow;
    const start = this.topOffset;
    const end = Math.min(this.fileSize, start + this.renderer.rowCount * bpr);
    this.cache.ensure(start, end, this.direction);
    const data = this.cache.assemble(start - 3, end + 3);
    const layout = layoutSpan(data.bytes, data.offset, start, Math.max(0, end - start), data.known, this.codec);
    const marks = new Uint16Array(layout.length);
    markRanges(marks, start, [{ offset: this.sel.start, length: this.sel.length }], Mark.Selected);
    markRanges(marks, start, this.unsaved, Mark.Unsaved);
    if (this.findScope) markRanges(marks, start, [this.findScope], Mark.FindScope);
    const h = this.highlights;
    if (h.matches.length) {
      // Only the matches that touch the view (binary search: there may be a million).
      let lo = 0;
      let hi = h.matches.length;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (h.matches[mid] + h.matchLength <= start) lo = mid + 1; else hi = mid; }
      const visible: ByteRange[] = [];
      for (let i = lo; i < h.matches.length && h.matches[i] < end; i++) visible.push({ offset: h.matches[i], length: h.matchLength });
      markRanges(marks, start, visible, Mark.Match);
      if (h.current >= 0) markRanges(marks, start, [{ offset: h.current, length: h.matchLength }], Mark.CurrentMatch);
    }
    const insertions: number[] = [];
    if (this.diff.ranges.length) {
      const changed: ByteRange[] = [];
      for (const r of this.diff.ranges) {
        if (r.offset > end) break;
        if (r.length === 0) { if (r.offset >= start) insertions.push(r.offset); } else changed.push(r);
      }
      markRanges(marks, start, changed, Mark.Diff);
      const cur = this.diff.current;
      if (cur) {
        if (cur.length) markRanges(marks, start, [cur], Mark.CurrentDiff);
        else if (cur.offset >= start && cur.offset <= end && !insertions.includes(cur.offset)) insertions.push(cur.offset);
      }
      insertions.sort((a, b) => a - b);
    }
    const bookmarks = this.bookmarks.length ? bookmarkCells(start, layout.length, this.bookmarks) : undefined;
    if (bookmarks) for (let i = 0; i < bookmarks.length; i++) if (bookmarks[i]) marks[i] |= Mark.Bookmark;
    if (this.flash.length) {
      // Changes made outside VS Code fade out over 1.2 s (ease-out), one frame at a time.
      const t = (performance.now() - this.flashStart) / 1200;
      if (t >= 1) this.flash = [];
      else { markRanges(marks, start, this.flash, Mark.Flash); this.renderer.flash = (1 - t) * (1 - t); this.requestFrame(); }
    }
    this.renderer.render({
      topRow: this.scroll.topRow, fraction: this.scroll.fraction, bytesPerRow: bpr, fileSize: this.fileSize, layout, marks,
      bytes: data.bytes, bytesStart: data.offset,
      cursor: this.sel.cursor, hover: this.hover, pane: this.sel.pane,
      totalRows: this.scroll.totalRows, insertMode: this.insertMode, insertions, cellFormat: this.layout.cellFormat, bookmarks,
    }, { focused: document.activeElement === this.grid, flash: 0 });
    this.grid.classList.toggle('pane-hex', this.sel.pane === 'hex');
    this.grid.classList.toggle('pane-text', this.sel.pane === 'text');
    const ds = this.root.dataset;
    ds.topOffset = String(start);
    ds.cursor = String(this.sel.cursor);
    ds.anchor = String(this.sel.anchor);
    ds.pane = this.sel.pane;
    ds.mode = this.insertMode ? 'insert' : 'overwrite';
    ds.loading = data.known && data.known.includes(0) ? 'true' : 'false';
    // User Timing mark for the benchmark: the first frame with every visible byte.
    if (ds.loading === 'false' && !this.firstCompleteFrame) {
      this.firstCompleteFrame = true;
      performance.mark('hexmap-first-complete-frame');
      // After the first frame: its bytes came first, the end of the file is next.
      setTimeout(() => this.keepEndCached(), 0);
      // rAF runs just before that frame paints; a task queued from it runs after.
      requestAnimationFrame(() => setTimeout(() => performance.mark('hexmap-first-paint'), 0));
    }
    this.frames++;
    for (const l of this.frameListeners) l();
  }
}

/** Adds a range to sorted, non-overlapping ranges, merging neighbours. */
export function addRange(ranges: ByteRange[], r: ByteRange): ByteRange[] {
  const out: ByteRange[] = [];
  let cur = { ...r };
  let placed = false;
  for (const x of ranges) {
    if (x.offset + x.length < cur.offset) out.push(x);
    else if (x.offset > cur.offset + cur.length) {
      if (!placed) { out.push(cur); placed = true; }
      out.push(x);
    } else {
      const s = Math.min(x.offset, cur.offset);
      cur = { offset: s, length: Math.max(x.offset + x.length, cur.offset + cur.length) - s };
    }
  }
  if (!placed) out.push(cur);
  return out;
}

/** The editor's DOM, which does not depend on the document (see buildScaffold). */
export interface Scaffold {
  viewport: HTMLElement;
  grid: HTMLElement;
  renderer: GridView;
}

/**
 * Builds the editor's DOM — header, viewport, grid with its canvas and
 * accessible row — before the document is known, and lets the browser
 * style and lay it out.
 *
 * WHY: main.ts calls it while 'ready' -> 'init' is on its way, so the
 * first style + layout and the canvas's first allocation happen in time
 * that would otherwise be spent idle, not between 'init' and the first
 * painted frame. Nothing in it depends on the file.
 */
export function buildScaffold(root: HTMLElement, bytesPerRow = 16, warmUp = true): Scaffold {
  root.replaceChildren();
  root.classList.add('hexmap');
  const header = div('header');
  header.setAttribute('aria-hidden', 'true');
  const viewport = div('viewport');
  const grid = div('grid');
  grid.tabIndex = 0;
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-multiselectable', 'true');
  viewport.appendChild(grid);
  root.append(header, viewport);
  root.style.setProperty('--addr-digits', '8');
  const renderer = new GridView(grid);
  const m = measureRows(root, viewport);
  renderer.layout(m.width, m.height, m.rowHeight, m.font, bytesPerRow, 8, DEFAULT_LAYOUT);
  root.style.setProperty('--ch', `${renderer.geometry.ch}px`);
  renderHeader(root, renderer.geometry, 'UTF-8');
  // Only worth it in idle time: when the first frame follows at once, it pays these costs itself.
  if (warmUp) renderer.warmUp();
  return { viewport, grid, renderer };
}

/**
 * Row height, rows that fit, the viewport's size and the editor font. The
 * height is a whole number of px from the editor font size, so rows sit on
 * pixel boundaries and text stays crisp. One style read and one layout read.
 */
function measureKey(m: ReturnType<typeof measureRows>, ch: number): string {
  return `${m.width}x${m.height}|${m.rowHeight}|${m.font.family}|${m.font.size}|${ch}`;
}

function measureRows(root: HTMLElement, viewport: HTMLElement): { rowHeight: number; visible: number; full: number; width: number; height: number; font: { family: string; size: number } } {
  const header = root.querySelector<HTMLElement>('.header')!;
  const style = getComputedStyle(header);
  const fontSize = parseFloat(style.fontSize) || 13;
  const rowHeight = Math.max(12, Math.round(fontSize * 1.55));
  root.style.setProperty('--row-h', `${rowHeight}px`);
  const height = viewport.clientHeight || 400;
  const width = viewport.clientWidth || 800;
  return {
    rowHeight, visible: Math.max(1, Math.ceil(height / rowHeight)), full: Math.max(1, Math.floor(height / rowHeight)),
    width, height, font: { family: style.fontFamily || 'monospace', size: fontSize },
  };
}


/**
 * 1234567 -> "1,234,567". WHY not toLocaleString: its first call loads ICU
 * locale data: 17-32 ms per page measured in this Chromium, on the path
 * to the first frame (and to the find widget's first count).
 */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function div(className: string): HTMLElement {
  const e = document.createElement('div');
  e.className = className;
  return e;
}
