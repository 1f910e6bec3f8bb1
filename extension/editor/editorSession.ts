/**
 * One editor webview's conversation with its document, free of `vscode` so
 * it runs (and is tested) in plain Node. Every message from the webview is
 * untrusted: it goes through parseWebviewMessage, and anything malformed is
 * logged and dropped — `handle` never throws, and a bad message never stops
 * the session from serving the next good one.
 *
 * Requests (read / find / count) run against the DocumentModel; each gets
 * exactly one 'response'. Long ones (find, count) get an AbortController so
 * the webview's 'cancel' stops them. Model changes become 'changed' messages.
 *
 * WHY reveal/action wait for 'init': the webview drops anything that arrives
 * before it has its document (VS Code even drops posts made before the page's
 * script runs), and a user who opens a file and at once runs "Go to Offset"
 * or "Go to Next Invalid Sequence" would see nothing happen. So until the
 * webview has said 'ready' and been sent 'init', the session holds the
 * latest reveal and the latest of each action, and posts them right after
 * 'init'. A webview that reloads (says 'ready' again) gets the same care.
 */
import type { InsertModeState } from './insertMode';
import type { BatchEdit, DocumentModel, Disposable } from '../document/documentModel';
import { HexmapError } from '../engine/byteSource';
import { findInDocument } from '../search/findInDocument';
import { countInDocument } from '../search/countInDocument';
import {
  DEFAULT_LAYOUT, EDITOR_WINDOW_SIZE, parseWebviewMessage, ProtocolError, WINDOW_CONTEXT,
  type BookmarksMessage, type InvalidMarksMessage, type CountResult, type DecorationsMessage, type DocumentInfo, type FindResult, type HostMessage, type HostRequest, type LayoutSettings, type ReadResult, type TextEncoding, type WebviewMessage,
} from '../../shared/protocol';
import { fixedBytesPerRow } from './layoutSettings';

export interface SessionOptions {
  fileName: string;
  bytesPerRow: number;
  /** The layout settings (layoutSettings.ts); absent: `bytesPerRow`, groups of 8, upper-case hex. */
  layout?: LayoutSettings;
  log?: (msg: string) => void;
  /** The hexmap.findMaxMatches setting (display cap of the find widget's count). */
  findMaxMatches?: number;
  /** Insert/overwrite, shared by every editor: the webview follows it and its Insert key sets it. */
  insertMode?: InsertModeState;
  /** Date.now() of the provider's steps (document opened, editor resolved): sent with 'init', with the session's own. */
  hostTimes?: Record<string, number>;
  /** The text pane's encoding (default UTF-8); setEncoding changes it. */
  encoding?: TextEncoding;
}

export interface SelectionState { cursor: number; anchor: number }
export interface UserNotice { level: 'info' | 'warning' | 'error'; message: string }

type Thenable<T> = PromiseLike<T>;

/** Progress messages are throttled to this interval: the webview only draws a bar. */
const PROGRESS_INTERVAL_MS = 100;
/** Matches per 'findMatches' message: Find All of a common byte streams millions of them in bounded pieces. */
export const FIND_MATCHES_BATCH = 10_000;

export class EditorSession {
  private readonly controllers = new Map<number, AbortController>();
  private readonly selectionListeners: ((s: SelectionState) => void)[] = [];
  private readonly notifyListeners: ((n: UserNotice) => void)[] = [];
  private readonly viewportListeners: ((topOffset: number) => void)[] = [];
  /** The latest highlights of each kind: sent again after every 'init' (a reloaded page has none). */
  private readonly decorations = new Map<DecorationsMessage['kind'], DecorationsMessage>();
  /** The latest bookmarks and invalid-sequence marks: also sent again after every 'init'. */
  private readonly overlays = new Map<'bookmarks' | 'invalidMarks', BookmarksMessage | InvalidMarksMessage>();
  private readonly modelSubscription: Disposable;
  private readonly insertModeSubscription: Disposable | undefined;
  private disposed = false;
  private bytesPerRow: number;
  private layout: LayoutSettings | undefined;
  private textEncoding: TextEncoding;
  /** Last selection and scroll position the webview reported. */
  selection: SelectionState & { focusedPane: 'hex' | 'text' } = { cursor: 0, anchor: 0, focusedPane: 'hex' };
  topOffset = 0;
  /** Messages rejected by validation (tests and diagnostics look at it). */
  rejected = 0;
  /** True once 'init' was posted for the webview's latest 'ready'. */
  private initSent = false;
  /** Held until 'init' is sent: only the latest reveal matters (it moves the cursor). */
  private pendingReveal: { offset: number; length: number } | undefined;
  /** Held until 'init' is sent: the latest of each action, in the order last asked (the last one opened keeps focus). */
  private readonly pendingActions = new Map<'find' | 'goto' | 'copy', string | undefined>();
  /**
   * The step this session's latest edit made (set while that edit's change
   * is fired), so a further digit typed into the same cell may amend it
   * rather than make a new undo step. The model decides whether it still may.
   */
  private ownStep: number | undefined;
  private applying = false;

  constructor(
    private readonly model: DocumentModel,
    private readonly post: (m: HostMessage) => void | Thenable<boolean>,
    private readonly options: SessionOptions,
  ) {
    this.bytesPerRow = options.layout ? fixedBytesPerRow(options.layout) : options.bytesPerRow;
    this.layout = options.layout;
    this.textEncoding = options.encoding ?? 'utf-8';
    this.insertModeSubscription = options.insertMode?.onDidChange((insert) => this.send({ type: 'insertMode', insert }));
    this.modelSubscription = model.onDidChange((change) => {
      if (this.applying && change.edit) this.ownStep = change.edit.stepId;
      this.send({
        type: 'changed', fileSize: model.size, ranges: change.ranges, unsaved: model.unsavedRanges(),
        flash: change.reason === 'external', readOnly: model.readOnly, readOnlyReason: model.readOnlyReason,
        // A save keeps the bytes; this view's own edits are what it is typing: anything else may have changed a half-typed cell.
        keepsTyping: change.reason === 'save' || this.applying,
      });
    });
  }

  /** Entry point for every message from the webview. Never throws. */
  handle(raw: unknown): void {
    if (this.disposed) return;
    let message: WebviewMessage;
    try {
      message = parseWebviewMessage(raw);
    } catch (e) {
      this.rejected++;
      this.log(`ignored malformed webview message: ${e instanceof ProtocolError ? e.message : String(e)}`);
      return;
    }
    try {
      this.dispatch(message);
    } catch (e) {
      this.log(`error handling '${message.type}': ${(e as Error)?.message ?? String(e)}`);
    }
  }

  onSelection(cb: (s: SelectionState) => void): Disposable {
    return listen(this.selectionListeners, cb);
  }

  /** Messages for the user; the provider shows them with vscode.window. */
  onNotify(cb: (n: UserNotice) => void): Disposable {
    return listen(this.notifyListeners, cb);
  }

  /** Selects [offset, offset+length) in the webview and scrolls it into view (held until 'init' was sent). */
  reveal(offset: number, length: number): void {
    if (!this.initSent) { this.pendingReveal = { offset, length }; return; }
    this.send({ type: 'reveal', offset, length });
  }

  /** Opens a widget / runs a command in the webview (held until 'init' was sent). */
  action(action: 'find' | 'goto' | 'copy', argument?: string): void {
    if (!this.initSent) { this.pendingActions.delete(action); this.pendingActions.set(action, argument); return; }
    this.send({ type: 'action', action, argument });
  }

  /** The webview scrolled (a comparison keeps its highlights around the visible area). */
  onViewport(cb: (topOffset: number) => void): Disposable {
    return listen(this.viewportListeners, cb);
  }

  /** Replaces the highlights of `d.kind` (held until 'init', and kept for a reloaded page). */
  decorate(d: DecorationsMessage): void {
    this.decorations.set(d.kind, d);
    if (this.initSent) this.send(d);
  }

  /** Replaces the bookmarks or the invalid-sequence marks the webview draws (held until 'init', kept for a reloaded page). */
  overlay(m: BookmarksMessage | InvalidMarksMessage): void {
    this.overlays.set(m.type, m);
    if (this.initSent) this.send(m);
  }

  /** Scrolls the webview so `topOffset`'s row is on top (not echoed back as a viewport change). */
  scrollTo(topOffset: number): void {
    // Taken as the position now: the webview does not report a scroll it was told to make.
    this.topOffset = topOffset;
    if (this.initSent) this.send({ type: 'scrollTo', topOffset });
  }

  get encoding(): TextEncoding { return this.textEncoding; }

  /** The text pane shows, types and searches text in `encoding` from now on. */
  setEncoding(encoding: TextEncoding): void {
    if (encoding === this.textEncoding) return;
    this.textEncoding = encoding;
    if (this.initSent) this.send({ type: 'encoding', encoding });
  }

  setBytesPerRow(n: number): void {
    this.setLayout({ ...(this.layout ?? DEFAULT_LAYOUT), bytesPerRow: n });
  }

  /** New layout settings: the webview re-lays the grid at once (and a reloaded page starts with them). */
  setLayout(layout: LayoutSettings): void {
    this.layout = layout;
    this.bytesPerRow = fixedBytesPerRow(layout);
    this.send({ type: 'settings', bytesPerRow: this.bytesPerRow, layout });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
    this.modelSubscription.dispose();
    this.insertModeSubscription?.dispose();
  }

  // ------------------------------------------------------------- dispatch

  private dispatch(m: WebviewMessage): void {
    switch (m.type) {
      case 'ready':
        // A (re)loaded page knows nothing yet: hold reveals until its 'init' went out.
        this.initSent = false;
        void this.sendInit(Date.now());
        return;
      case 'request':
        void this.serve(m.id, m.request);
        return;
      case 'cancel':
        this.controllers.get(m.id)?.abort();
        return;
      case 'edit':
        if (m.amend && this.ownStep !== undefined && this.amend(this.ownStep, m.offset, m.bytes)) return;
        this.applyEdits([{ offset: m.offset, deleteLength: m.deleteLength ?? m.bytes.length, bytes: m.bytes }], m.label, m.deleteLength === undefined);
        return;
      case 'editBatch':
        this.applyEdits(m.edits, m.label, false);
        return;
      case 'selection':
        this.selection = { cursor: m.cursor, anchor: m.anchor, focusedPane: m.focusedPane };
        for (const l of this.selectionListeners) l({ cursor: m.cursor, anchor: m.anchor });
        return;
      case 'notify':
        this.notify({ level: m.level, message: m.message });
        return;
      case 'viewport':
        this.topOffset = m.topOffset;
        for (const l of this.viewportListeners) l(m.topOffset);
        return;
      case 'insertMode':
        this.options.insertMode?.set(m.insert);
        return;
    }
  }

  /**
   * 'init' with the window the first frame will show (at a held reveal, else
   * at the last scroll position), so that frame needs no round trip; then
   * whatever was held for it.
   */
  private async sendInit(readyAt: number): Promise<void> {
    const init = await this.initMessage({ ready: readyAt });
    if (this.disposed) return;
    this.send(init);
    this.initSent = true;
    const reveal = this.pendingReveal;
    this.pendingReveal = undefined;
    if (reveal) this.send({ type: 'reveal', ...reveal });
    const actions = [...this.pendingActions];
    this.pendingActions.clear();
    for (const [action, argument] of actions) this.send({ type: 'action', action, argument });
    for (const d of this.decorations.values()) this.send(d);
    for (const o of this.overlays.values()) this.send(o);
  }

  /**
   * The 'init' message as of now: the document's info and the window the
   * first frame will show (at a held reveal, else at the last scroll
   * position). The provider also writes one into the page (webviewHtml.ts),
   * so the first frame is drawn before any message has crossed; with
   * `firstScreen`, its window is cut to that many bytes around the first
   * screen (see firstScreenOf).
   */
  async initMessage(times: Record<string, number> = {}, firstScreen?: number): Promise<Extract<HostMessage, { type: 'init' }>> {
    const size = this.model.size;
    let window: ReadResult | undefined;
    if (size > 0) {
      const at = this.pendingReveal?.offset ?? this.topOffset;
      const offset = Math.min(Math.floor(at / EDITOR_WINDOW_SIZE), Math.floor((size - 1) / EDITOR_WINDOW_SIZE)) * EDITOR_WINDOW_SIZE;
      try {
        window = await this.model.readWindow(offset, Math.min(EDITOR_WINDOW_SIZE, size - offset));
        // A reveal centres its target; otherwise the screen starts at `at`.
        if (firstScreen !== undefined) window = firstScreenOf(window, this.pendingReveal ? at - firstScreen / 2 : at, firstScreen);
      } catch (e) {
        this.log(`initial window: ${(e as Error).message}`); // the webview will ask again
      }
    }
    return { type: 'init', info: this.info(), window, hostTimes: { ...this.options.hostTimes, ...times, windowRead: Date.now() } };
  }

  private info(): DocumentInfo {
    return {
      fileName: this.options.fileName, fileSize: this.model.size, readOnly: this.model.readOnly,
      readOnlyReason: this.model.readOnlyReason, backend: this.model.source.kind, bytesPerRow: this.bytesPerRow,
      unsaved: this.model.unsavedRanges(), findMaxMatches: this.options.findMaxMatches, insertMode: this.options.insertMode?.insert ?? false,
      layout: this.layout,
      encoding: this.textEncoding,
    };
  }

  /** A further digit of the cell this view's last edit typed, folded into that edit's step (false: refused). */
  private amend(stepId: number, offset: number, bytes: Uint8Array): boolean {
    this.applying = true;
    try {
      return this.model.amendLast(stepId, offset, bytes);
    } finally {
      this.applying = false;
    }
  }

  /** One edit (`overwrite`: the size must not change) or a batch, as one undoable step. */
  private applyEdits(edits: readonly BatchEdit[], label: string, overwrite: boolean): void {
    this.ownStep = undefined;
    this.applying = true;
    try {
      if (overwrite) this.model.edit(edits[0].offset, edits[0].bytes, label);
      else this.model.editBatch(edits, label);
    } catch (e) {
      const readOnly = e instanceof HexmapError && e.code === 'ERR_HEXMAP_READ_ONLY';
      this.notify({
        level: readOnly ? 'warning' : 'error',
        message: readOnly ? `Cannot edit: ${this.model.readOnlyReason ?? 'the document is read-only'}.` : `Edit failed: ${(e as Error).message}`,
      });
      // The webview drew the bytes optimistically: make it refetch the truth (all of it after a
      // refused insert, delete or batch, which may have drawn shifted bytes anywhere after).
      this.send({
        type: 'changed', fileSize: this.model.size, ranges: overwrite ? [{ offset: edits[0].offset, length: edits[0].bytes.length }] : undefined,
        unsaved: this.model.unsavedRanges(), flash: false, readOnly: this.model.readOnly, readOnlyReason: this.model.readOnlyReason,
      });
    } finally {
      this.applying = false;
    }
  }

  private async serve(id: number, request: HostRequest): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(id, controller);
    try {
      const result = await this.run(request, id, controller.signal);
      this.send({ type: 'response', id, ok: true, result });
    } catch (e) {
      this.send({ type: 'response', id, ok: false, error: (e as Error)?.message ?? String(e) });
    } finally {
      this.controllers.delete(id);
    }
  }

  private async run(request: HostRequest, id: number, signal: AbortSignal): Promise<ReadResult | FindResult | CountResult> {
    const size = this.model.size;
    switch (request.kind) {
      case 'read': {
        checkRange(request.offset, request.length, size);
        return this.model.readWindow(request.offset, request.length);
      }
      case 'count': {
        checkRange(request.offset, request.length, size);
        try {
          return await countInDocument(this.model, request.offset, request.length, signal, undefined, this.textEncoding);
        } catch (e) {
          if (signal.aborted) throw new Error('count cancelled');
          throw e;
        }
      }
      case 'find': {
        if (request.from > size) throw new RangeError(`find: 'from' ${request.from} is past the end of the file (${size} bytes)`);
        const found: number[] = [];
        let lastProgress = 0;
        try {
          return await findInDocument(this.model,
            {
              pattern: request.pattern, mask: request.mask, ignoreCase: request.ignoreCase, from: request.from, backward: request.backward, maxMatches: request.maxMatches,
              rangeStart: request.rangeStart, rangeEnd: request.rangeEnd,
            },
            {
              signal,
              onProgress: (scanned, total) => {
                const now = Date.now();
                if (now - lastProgress < PROGRESS_INTERVAL_MS && scanned < total) return;
                lastProgress = now;
                this.send({ type: 'findProgress', id, scanned, total });
              },
              onMatches: (matches) => {
                // Never spread a batch into one call (the stack limits arguments to ~100,000),
                // and never post one unbounded message.
                for (let i = 0; i < matches.length; i += FIND_MATCHES_BATCH) {
                  const part = matches.slice(i, i + FIND_MATCHES_BATCH);
                  for (const m of part) found.push(m);
                  this.send({ type: 'findMatches', id, matches: part });
                }
              },
            });
        } catch (e) {
          // A cancelled search still answers, with what it had found.
          if (signal.aborted || (e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED')) {
            return { matches: found, complete: false, cancelled: true };
          }
          throw e;
        }
      }
    }
  }

  private notify(n: UserNotice): void {
    for (const l of this.notifyListeners) l(n);
  }

  private send(m: HostMessage): void {
    if (this.disposed) return;
    try {
      const r = this.post(m);
      if (r && typeof (r as Thenable<boolean>).then === 'function') {
        (r as Thenable<boolean>).then(undefined, (e: unknown) => this.log(`post failed: ${String(e)}`));
      }
    } catch (e) {
      this.log(`post failed: ${String(e)}`);
    }
  }

  private log(msg: string): void {
    (this.options.log ?? ((s: string) => console.warn(`[hexmap] ${s}`)))(msg);
  }
}

function checkRange(offset: number, length: number, size: number): void {
  if (offset > size || offset + length > size) {
    throw new RangeError(`range ${offset}+${length} is outside the file (${size} bytes)`);
  }
}

function listen<T>(list: T[], cb: T): Disposable {
  list.push(cb);
  return { dispose: () => { const i = list.indexOf(cb); if (i >= 0) list.splice(i, 1); } };
}

/** Bytes of the first screen the provider writes into the page: 64 bytes a row on a 256-row screen. */
export const FIRST_SCREEN_BYTES = 16 * 1024;

/**
 * The part of `window` a first screen can show: `length` bytes from `from`
 * (kept inside the window), with the context bytes either side. WHY: the page carries it as base64 through the workbench and
 * parses it before its first frame; a whole window is four times the bytes
 * of a tall screen. The whole window follows with the host's 'init'.
 */
export function firstScreenOf(window: ReadResult, from: number, length: number): ReadResult {
  const end = window.offset + window.bytes.length;
  const start = Math.max(window.offset, Math.min(Math.floor(from), end - length));
  const stop = Math.min(end, start + length);
  if (start === window.offset && stop === end) return window;
  const all = new Uint8Array(window.before.length + window.bytes.length + window.after.length);
  all.set(window.before, 0);
  all.set(window.bytes, window.before.length);
  all.set(window.after, window.before.length + window.bytes.length);
  const at0 = (p: number) => p - window.offset + window.before.length;
  const c = WINDOW_CONTEXT;
  return {
    offset: start,
    bytes: all.slice(at0(start), at0(stop)),
    before: all.slice(Math.max(0, at0(start) - c), at0(start)),
    after: all.slice(at0(stop), Math.min(all.length, at0(stop) + c)),
    unsaved: window.unsaved,
  };
}
