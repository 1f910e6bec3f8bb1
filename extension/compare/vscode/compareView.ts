/**
 * One comparison on screen: two Hexmap editors side by side (left = A,
 * right = B), kept compared while either document changes, with their
 * differences highlighted around each viewport, F7 / Shift+F7 moving both
 * to the next / previous difference, the cursor and the scrolling of one
 * side followed by the other (scroll lock, by facing offset, so a shift
 * does not break it) and
 * "copy this difference to the other side".
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ActiveHexEditor, EditorRegistry } from '../../editor/editorRegistry';
import { withLateProgress } from '../../inspect/lateProgress';
import { copyDifference, CopyRefused } from '../copyDifference';
import { diffDecorations, overview } from '../decorations';
import type { ByteRange } from '../../../shared/protocol';
import { LiveComparison, type LiveUpdate } from '../liveComparison';
import { differenceAt, facingOffset, nextDifference, placeOn, previousDifference, type Side } from '../navigation';
import { noMoreText, summaryText } from '../summaryText';
import type { CompareMode, CompareSummary, DiffRange } from '../types';

/** Highlights are sent at most this often while a comparison streams ranges. */
const DECORATE_MS = 150;

export class CompareView implements vscode.Disposable {
  readonly live: LiveComparison;
  private ranges: readonly DiffRange[] = [];
  private progress: { done: number; total: number } = { done: 0, total: 0 };
  /** Index in `ranges` of the difference last moved to, or -1. */
  private current = -1;
  scrollLock = true;
  private readonly disposables: vscode.Disposable[] = [];
  private decorateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the result, the progress or the current difference changes (the status bar listens). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closeEmitter.event;
  private closed = false;
  private reportedFirst = false;
  private readonly overviews = new Map<Side, { ranges: readonly DiffRange[]; count: number; overview: ByteRange[] }>();
  /** Where moveTo put each side's cursor: that cursor report is our own move, not one to follow. */
  private readonly moved = new Map<Side, number>();

  constructor(
    readonly left: ActiveHexEditor,
    readonly right: ActiveHexEditor,
    private readonly registry: EditorRegistry,
    readonly mode: CompareMode,
  ) {
    this.live = new LiveComparison(left.model, right.model, { mode });
    this.disposables.push(
      this.live.onDidUpdate((u) => this.onUpdate(u)),
      registry.onDidChangeSelection((editor) => this.follow(editor)),
      // An editor of the pair closed: the comparison ends with it.
      registry.onDidChangeActive(() => {
        if (!registry.sessionOf(left) || !registry.sessionOf(right)) this.dispose();
      }),
    );
    for (const side of ['a', 'b'] as const) {
      const session = registry.sessionOf(this.editor(side));
      if (session) this.disposables.push(session.onViewport((topOffset) => { this.decorate(side); this.followScroll(side, topOffset); }));
    }
  }

  get title(): string {
    return `${basename(this.left.uri.path)} ↔ ${basename(this.right.uri.path)}`;
  }

  get summary(): CompareSummary | undefined {
    return this.live.summary;
  }

  /** What the status bar shows: the current difference and how many there are. */
  get state(): { current: number; ranges: number; summary?: CompareSummary; running: boolean; done: number; total: number } {
    return { current: this.current, ranges: this.ranges.length, summary: this.live.summary, running: this.live.stale, ...this.progress };
  }

  /** The side an editor shows, if it is one of this comparison's. */
  sideOf(editor: ActiveHexEditor | undefined): Side | undefined {
    if (!editor) return undefined;
    if (editor === this.left) return 'a';
    if (editor === this.right) return 'b';
    return undefined;
  }

  /** Runs the comparison with a progress notification (after a moment) and Cancel. */
  async start(): Promise<void> {
    await withLateProgress(`Hexmap: comparing ${this.title}`, (signal, report) => {
      signal.addEventListener('abort', () => this.live.cancel());
      const sub = this.live.onDidUpdate((u) => report(u.done, u.total));
      return this.live.run().finally(() => sub.dispose());
    });
  }

  /** Moves both sides to the next (or previous) difference after the active side's cursor. */
  go(forward: boolean): void {
    const side = this.sideOf(this.registry.active) ?? 'a';
    const editor = this.editor(side);
    const from = this.current >= 0 && this.isAtCurrent(side, editor.cursor) ? placeOn(side, this.ranges[this.current]).offset : editor.cursor;
    const i = forward ? nextDifference(this.ranges, side, from) : previousDifference(this.ranges, side, from);
    if (i < 0) {
      void vscode.window.showInformationMessage(`Hexmap: ${noMoreText(forward, this.live.stale, this.live.summary)}`);
      return;
    }
    this.moveTo(i);
  }

  /** Copies the difference at the active side's cursor (or the current one) to the other side, as one undoable edit. */
  async copyToOtherSide(): Promise<void> {
    const side = this.sideOf(this.registry.active) ?? 'a';
    if (this.live.stale) {
      void vscode.window.showInformationMessage('Hexmap: the comparison is updating; copy the difference when it has finished.');
      return;
    }
    let i = differenceAt(this.ranges, side, this.editor(side).cursor);
    if (i < 0) i = this.current;
    if (i < 0) {
      void vscode.window.showInformationMessage('Hexmap: put the cursor on a difference first (F7 moves to the next one).');
      return;
    }
    try {
      await copyDifference(this.ranges[i], side, { a: this.left.model, b: this.right.model });
    } catch (e) {
      const message = e instanceof CopyRefused ? e.message : `Could not copy the difference: ${(e as Error).message}`;
      void vscode.window.showWarningMessage(`Hexmap: ${message}`);
    }
  }

  toggleScrollLock(): void {
    this.scrollLock = !this.scrollLock;
    void vscode.window.showInformationMessage(`Hexmap: compare scroll lock ${this.scrollLock ? 'on: the other side follows the cursor' : 'off'}.`);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.decorateTimer);
    this.live.dispose();
    this.disposables.forEach((d) => d.dispose());
    // Clear the highlights of editors that stay open.
    for (const side of ['a', 'b'] as const) {
      this.registry.sessionOf(this.editor(side))?.decorate({ type: 'decorations', kind: 'diff', span: { offset: 0, length: 0 }, ranges: [] });
    }
    this.closeEmitter.fire();
    this.closeEmitter.dispose();
    this.changeEmitter.dispose();
  }

  // ------------------------------------------------------------ internals

  private editor(side: Side): ActiveHexEditor {
    return side === 'a' ? this.left : this.right;
  }

  private isAtCurrent(side: Side, cursor: number): boolean {
    const p = placeOn(side, this.ranges[this.current]);
    return cursor >= p.offset && cursor < p.offset + Math.max(1, p.length);
  }

  private moveTo(i: number): void {
    this.current = i;
    const r = this.ranges[i];
    for (const side of ['a', 'b'] as const) {
      const p = placeOn(side, r);
      this.moved.set(side, p.offset);
      this.editor(side).reveal(p.offset, p.length);
    }
    this.decorate('a');
    this.decorate('b');
    this.changeEmitter.fire();
  }

  private onUpdate(u: LiveUpdate): void {
    this.ranges = u.ranges;
    this.progress = { done: u.done, total: u.total };
    if (this.current >= this.ranges.length) this.current = -1;
    if (u.summary) {
      clearTimeout(this.decorateTimer);
      this.decorateTimer = undefined;
      this.decorate('a');
      this.decorate('b');
      if (!this.reportedFirst && u.summary.complete) {
        this.reportedFirst = true;
        void vscode.window.showInformationMessage(`Hexmap: ${this.title}: ${summaryText(u.summary)}`);
      }
    } else if (!this.decorateTimer) {
      this.decorateTimer = setTimeout(() => {
        this.decorateTimer = undefined;
        this.decorate('a');
        this.decorate('b');
      }, DECORATE_MS);
    }
    this.changeEmitter.fire();
  }

  private decorate(side: Side): void {
    if (this.closed) return;
    const editor = this.editor(side);
    const session = this.registry.sessionOf(editor);
    if (!session) return;
    const current = this.current >= 0 ? this.ranges[this.current] : undefined;
    // The overview only changes with the ranges; scrolling reuses it.
    let cached = this.overviews.get(side);
    if (!cached || cached.ranges !== this.ranges || cached.count !== this.ranges.length) {
      cached = { ranges: this.ranges, count: this.ranges.length, overview: overview(this.ranges, side, editor.model.size) };
      this.overviews.set(side, cached);
    }
    session.decorate(diffDecorations(this.ranges, side, session.topOffset, editor.model.size, current, cached.overview));
  }

  /**
   * Scroll lock: the other side scrolls to the facing offset. The webview
   * does not report a scroll it was told to make ('scrollTo'), so this
   * cannot bounce back and forth.
   */
  private followScroll(side: Side, topOffset: number): void {
    if (!this.scrollLock || this.closed) return;
    const other: Side = side === 'a' ? 'b' : 'a';
    const target = this.registry.sessionOf(this.editor(other));
    if (!target) return;
    const facing = facingOffset(this.ranges, side, topOffset, this.editor(other).model.size);
    if (facing !== target.topOffset) {
      target.scrollTo(facing);
      this.decorate(other);
    }
  }

  /** Scroll lock: the other side's cursor follows to the facing offset. */
  private follow(editor: ActiveHexEditor): void {
    const side = this.sideOf(editor);
    if (!side || !this.scrollLock || this.closed) return;
    if (this.moved.get(side) === editor.cursor) {
      this.moved.delete(side); // both sides were just moved to the difference, its bytes selected
      return;
    }
    const other: Side = side === 'a' ? 'b' : 'a';
    const target = this.editor(other);
    const facing = facingOffset(this.ranges, side, editor.cursor, target.model.size);
    // Only the active editor reports selections, so this reveal does not echo back.
    if (target.cursor !== facing) target.reveal(facing, 0);
  }
}
