/**
 * Ctrl+F: find in the whole document (unsaved edits included — the host
 * searches what the user sees). A pattern is hex with `??` wildcards or
 * text, encoded in the text pane's encoding (a character it cannot represent
 * is refused with a message); "ignore case" folds letters by the one rule of
 * shared/encodings/caseFold.ts. In UTF-16 only matches on a unit boundary
 * (an even offset from the file's start) count. Typing starts a counting
 * run over the whole file, capped for display ("N+"; click the count to
 * count them all), whose matches stream in and are highlighted in both
 * panes; Enter / Shift+Enter jump to the next / previous match from the
 * cursor, wrapping at the ends. Replace swaps the match at the cursor for
 * the replacement, of any length; Replace All sends every replacement in
 * one 'editBatch', so it is ONE undo step however many matches there are.
 *
 * "Find in selection" (the toggle, as in VS Code's find widget) takes the
 * selection at the moment it is switched on as the scope: counting, Enter /
 * Shift+Enter (wrapping inside the scope), Replace and Replace All then see
 * only matches lying wholly inside it. The scope stays put while matches are
 * selected, grows or shrinks with the widget's own replacements, and ends
 * when the toggle is switched off or the widget closes.
 */
import { MAX_BATCH_BYTES, MAX_PATTERN_LENGTH, type BatchEditMessage } from '../../shared/protocol';
import { selectedRange } from './editCommands';
import { groupDigits, type HexEditor } from './editor';
import { parseHexBytes, parseHexPattern, type HexPattern } from './hexInput';
import { mergeSorted } from './ranges';
import { compileTextQuery } from '../../shared/encodings/caseFold';

/** What a find request needs from the input: bytes, mask, and whether the finds fold ASCII case. */
type Query = HexPattern & { ignoreCase: boolean };
import { iconButton, textInput, toggleButton } from './widgetParts';

/** Matches counted before the label says "N+", unless the host's setting says otherwise. */
export const DEFAULT_DISPLAY_CAP = 10_000;
/** The protocol's cap for an uncapped "find all". */
const FIND_ALL_CAP = 1_000_000;

export class FindWidget {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly replaceInput: HTMLInputElement;
  private readonly count: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly caseButton: HTMLButtonElement;
  private readonly scopeButton: HTMLButtonElement;
  /** Find in selection: [start, end) of the document searched, or undefined for all of it. */
  private scope: { start: number; end: number } | undefined;
  private hexMode = false;
  private ignoreCase = false;
  private runId: number | undefined;
  private matches: number[] = [];
  private complete = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly editor: HexEditor, parent: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'widget find-widget';
    this.el.setAttribute('role', 'search');
    this.el.setAttribute('aria-label', 'Find and replace');
    this.el.hidden = true;

    this.input = textInput('Find', 'Find text');
    const modeButton = toggleButton({ text: 'Hex' }, 'Search hex bytes (?? = any byte)', (on) => {
      this.hexMode = on;
      this.input.placeholder = on ? 'Find hex: 4F ?? 0A' : 'Find text';
      this.replaceInput.placeholder = on ? 'Replace with hex' : 'Replace with text';
      this.caseButton.disabled = on;
      this.restart();
    });
    this.caseButton = toggleButton({ icon: 'case-sensitive' }, 'Ignore case', (on) => { this.ignoreCase = on; this.restart(); });
    this.scopeButton = toggleButton({ icon: 'selection' }, 'Find in selection (Alt+L)', (on) => this.setScope(on));
    // The same text is other bytes in another encoding.
    editor.encodingListeners.push(() => { if (!this.el.hidden && !this.hexMode) this.restart(); });
    this.count = document.createElement('button');
    this.count.type = 'button';
    this.count.className = 'match-count';
    this.count.setAttribute('aria-live', 'polite');
    this.count.title = 'Matches (click "N+" to count them all)';
    this.count.addEventListener('click', () => { if (!this.complete && this.matches.length >= this.displayCap) this.startCount(FIND_ALL_CAP); });
    this.cancelButton = iconButton('debug-stop', 'Cancel search', () => this.cancel());
    this.cancelButton.hidden = true;
    const findRow = row(this.input, modeButton, this.caseButton, this.scopeButton, this.count,
      iconButton('arrow-up', 'Previous match (Shift+Enter)', () => void this.next(true)),
      iconButton('arrow-down', 'Next match (Enter)', () => void this.next(false)),
      this.cancelButton,
      iconButton('close', 'Close (Escape)', () => this.close()));

    this.replaceInput = textInput('Replace', 'Replace with text');
    const replaceRow = row(this.replaceInput,
      iconButton('replace', 'Replace', () => void this.replace()),
      iconButton('replace-all', 'Replace all (one undo step)', () => void this.replaceAll()));

    this.progress = document.createElement('div');
    this.progress.className = 'find-progress';
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', 'Search progress');
    this.progress.hidden = true;
    this.progress.appendChild(document.createElement('div'));
    this.error = document.createElement('div');
    this.error.className = 'widget-error';
    this.error.setAttribute('role', 'alert');
    this.el.append(findRow, replaceRow, this.progress, this.error);
    parent.appendChild(this.el);

    this.input.addEventListener('input', () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.restart(), 200);
    });
    const keys = (e: KeyboardEvent): void => {
      if (e.key === 'Enter') { e.preventDefault(); if (e.target === this.replaceInput && !e.shiftKey) void this.replace(); else void this.next(e.shiftKey); }
      else if (e.key === 'Escape') { e.preventDefault(); this.close(); }
      else if (e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'l') { e.preventDefault(); this.scopeButton.click(); } // as in VS Code
    };
    this.input.addEventListener('keydown', keys);
    this.replaceInput.addEventListener('keydown', keys);
  }

  get isOpen(): boolean { return !this.el.hidden; }

  private get displayCap(): number {
    const cap = this.editor.info.findMaxMatches;
    return cap && cap > 0 ? Math.min(cap, FIND_ALL_CAP) : DEFAULT_DISPLAY_CAP;
  }

  open(initial?: string): void {
    this.el.hidden = false;
    if (initial !== undefined) { this.input.value = initial; this.restart(); }
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.cancel();
    this.el.hidden = true;
    this.scope = undefined;
    this.editor.setFindScope(undefined);
    this.scopeButton.setAttribute('aria-pressed', 'false');
    this.matches = [];
    this.editor.setHighlights({ matches: [], matchLength: 0, current: -1 });
    this.editor.grid.focus({ preventScroll: true });
  }

  /** The pattern of the input, or an error shown to the user. */
  private pattern(): Query | undefined {
    const text = this.input.value;
    this.error.textContent = '';
    this.input.removeAttribute('aria-invalid');
    if (text === '') return undefined;
    let result: Query | { error: string };
    if (this.hexMode) {
      const hex = parseHexPattern(text);
      result = 'error' in hex ? hex : { ...hex, ignoreCase: false };
    } else {
      const codec = this.editor.codec;
      const q = compileTextQuery(codec, text, this.ignoreCase);
      result = 'unencodable' in q
        ? { error: `${codec.label} cannot represent "${q.unencodable}" (U+${q.unencodable.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); choose another encoding from the status bar to search for it.` }
        : q;
    }
    if ('error' in result) return this.fail(result.error);
    if (result.pattern.length > MAX_PATTERN_LENGTH) return this.fail(`Patterns are limited to ${MAX_PATTERN_LENGTH} bytes.`);
    return result;
  }

  private fail(message: string): undefined {
    this.error.textContent = message;
    this.input.setAttribute('aria-invalid', 'true');
    return undefined;
  }

  /** Switches find in selection on (scope: the selection now) or off. */
  private setScope(on: boolean): void {
    const range = on ? selectedRange(this.editor) : undefined;
    if (on && !range) {
      this.scopeButton.setAttribute('aria-pressed', 'false');
      this.editor.notify('info', 'Select the bytes to search in first, then switch on "Find in selection".');
      return;
    }
    this.scope = range;
    this.showScope();
    const label = range ? `Find in selection: 0x${range.start.toString(16).toUpperCase()} to 0x${(range.end - 1).toString(16).toUpperCase()} (Alt+L)` : 'Find in selection (Alt+L)';
    this.scopeButton.title = label;
    this.scopeButton.setAttribute('aria-label', label);
    this.restart();
  }

  /** The scope as a find request's range (clamped to the document, which may have shrunk), or none. */
  private range(): { rangeStart?: number; rangeEnd?: number } {
    if (!this.scope) return {};
    const size = this.editor.fileSize;
    return { rangeStart: Math.min(this.scope.start, size), rangeEnd: Math.max(Math.min(this.scope.start, size), Math.min(this.scope.end, size)) };
  }

  /** A replacement of `matchLength` bytes by `length` bytes at `at` moved the scope's end. */
  private scopeReplaced(at: number, matchLength: number, length: number, count: number): void {
    if (this.scope && at >= this.scope.start && at < this.scope.end) this.scope = { ...this.scope, end: this.scope.end + count * (length - matchLength) };
    this.showScope();
  }

  private showScope(): void {
    this.editor.setFindScope(this.scope && { offset: this.scope.start, length: this.scope.end - this.scope.start });
  }

  /** Pattern changed: cancel the old count and start a new one. */
  restart(): void {
    this.cancel();
    this.matches = [];
    this.complete = false;
    this.editor.setHighlights({ matches: [], matchLength: 0, current: -1 });
    this.count.textContent = '';
    this.startCount(this.displayCap);
  }

  private startCount(cap: number): void {
    const p = this.pattern();
    if (!p) return;
    this.cancel();
    const generation = ++this.generation;
    this.matches = [];
    this.complete = false;
    this.setCount('…');
    const handle = this.editor.channel.request(
      { kind: 'find', pattern: p.pattern, mask: p.mask, ignoreCase: p.ignoreCase, from: 0, backward: false, maxMatches: cap, ...this.range() },
      {
        onMatches: (m) => {
          if (generation !== this.generation) return;
          this.matches = mergeSorted(this.matches, this.aligned(m));
          this.publish(p.pattern.length);
          this.setCount(`${groupDigits(this.matches.length)}…`);
        },
        onProgress: (scanned, total) => {
          if (generation !== this.generation) return;
          this.progress.hidden = false;
          this.cancelButton.hidden = false;
          const percent = total ? Math.round((scanned / total) * 100) : 100;
          this.progress.setAttribute('aria-valuenow', String(percent));
          (this.progress.firstChild as HTMLElement).style.width = `${percent}%`;
          this.setCount(`${groupDigits(this.matches.length)}… ${percent}%`);
        },
      });
    this.runId = handle.id;
    this.cancelButton.hidden = false;
    handle.result.then((r) => {
      if (generation !== this.generation) return;
      this.matches = mergeSorted(this.matches, this.aligned(r.matches));
      this.complete = r.complete;
      this.publish(p.pattern.length);
      const n = groupDigits(this.matches.length);
      this.setCount(r.cancelled ? `${n} (cancelled)` : r.complete ? (this.matches.length ? n : 'No results') : `${n}+`);
    }, (e: Error) => {
      if (generation === this.generation) this.fail(e.message);
    }).finally(() => {
      if (generation !== this.generation) return;
      this.runId = undefined;
      this.progress.hidden = true;
      this.cancelButton.hidden = true;
    });
  }

  /** Text matches that start on a unit boundary of the encoding (every match in hex mode). */
  private aligned(matches: number[]): number[] {
    const unit = this.hexMode ? 1 : this.editor.codec.unitSize;
    return unit === 1 ? matches : matches.filter((m) => m % unit === 0);
  }

  private setCount(text: string): void {
    this.count.textContent = text;
    this.count.dataset.count = text;
  }

  private publish(length: number, current = this.editor.highlights.current): void {
    this.editor.setHighlights({ matches: this.matches, matchLength: length, current });
  }

  cancel(): void {
    if (this.runId !== undefined) this.editor.channel.cancel(this.runId);
  }

  /** Jumps to the next (or previous) match from the cursor, wrapping around. */
  async next(backward: boolean): Promise<number | undefined> {
    const p = this.pattern();
    if (!p) return undefined;
    const ed = this.editor;
    const cursor = ed.sel.cursor;
    const onMatch = ed.highlights.current === cursor;
    const range = this.range();
    const find = async (from: number): Promise<number | undefined> => {
      // A match off the unit boundary (UTF-16) is not one: look on past it.
      for (let at = from; ;) {
        const r = await ed.channel.request({ kind: 'find', pattern: p.pattern, mask: p.mask, ignoreCase: p.ignoreCase, from: at, backward, maxMatches: 1, ...range }).result;
        const hit = r.matches[0];
        if (hit === undefined || this.aligned([hit]).length) return hit;
        at = backward ? hit : hit + 1;
      }
    };
    let hit: number | undefined;
    try {
      hit = await find(Math.min(ed.fileSize, backward ? cursor : onMatch ? cursor + 1 : cursor));
      if (hit === undefined) hit = await find(backward ? range.rangeEnd ?? ed.fileSize : range.rangeStart ?? 0); // wrap (inside the scope)
    } catch (e) {
      this.fail((e as Error).message);
      return undefined;
    }
    if (hit === undefined) { this.setCount('No results'); return undefined; }
    ed.select(hit, p.pattern.length);
    this.publish(p.pattern.length, hit);
    return hit;
  }

  /** The replacement's bytes (empty: the matches are deleted). */
  private replacement(): Uint8Array | undefined {
    const text = this.replaceInput.value;
    let bytes: Uint8Array | undefined;
    if (this.hexMode) bytes = text.trim() === '' ? new Uint8Array(0) : parseHexBytes(text);
    else {
      const encoded = this.editor.codec.encode(text);
      if ('unencodable' in encoded) { this.fail(`Replacement: ${this.editor.codec.label} cannot represent "${encoded.unencodable}".`); return undefined; }
      bytes = encoded.bytes;
    }
    if (!bytes) { this.fail('Replacement: pairs of hex digits, e.g. "DE AD" (no ?? in replacements).'); return undefined; }
    return bytes;
  }

  /** Replaces the match at the cursor (if the cursor is on one), then moves to the next. */
  async replace(): Promise<void> {
    const p = this.pattern();
    if (!p) return;
    const bytes = this.replacement();
    if (!bytes || !this.editor.canEdit()) return;
    const ed = this.editor;
    if (ed.highlights.current === ed.sel.start && ed.sel.length === p.pattern.length) {
      const at = ed.sel.start;
      if (ed.replace(at, p.pattern.length, bytes, 'Replace')) {
        this.scopeReplaced(at, p.pattern.length, bytes.length, 1);
        // Go on after the replacement, not inside it (it may itself match).
        ed.moveCursor(Math.min(at + bytes.length, ed.lastCursor), false);
        this.restart();
      }
    }
    await this.next(false);
  }

  /** Replaces every match (counting them all first when the count was capped). */
  async replaceAll(): Promise<void> {
    const p = this.pattern();
    if (!p) return;
    const bytes = this.replacement();
    if (!bytes || !this.editor.canEdit()) return;
    const ed = this.editor;
    const length = p.pattern.length;
    const r = await ed.channel.request({ kind: 'find', pattern: p.pattern, mask: p.mask, ignoreCase: p.ignoreCase, from: 0, backward: false, maxMatches: FIND_ALL_CAP, ...this.range() }).result;
    r.matches = this.aligned(r.matches);
    // Overlapping matches ("aa" in "aaa"): left to right, skipping ones the previous replacement covered.
    // Offsets are those of the document before the batch, as 'editBatch' wants them.
    const edits: BatchEditMessage[] = [];
    let next = 0;
    for (const m of r.matches.slice().sort((a, b) => a - b)) {
      if (m < next) continue;
      edits.push({ offset: m, deleteLength: length, bytes });
      next = m + length;
    }
    if (edits.length === 0) { this.setCount('No results'); return; }
    if (edits.length * bytes.length > MAX_BATCH_BYTES) {
      this.fail(`${groupDigits(edits.length)} replacements of ${bytes.length} byte(s) are more than one edit may carry (${MAX_BATCH_BYTES / 2 ** 20} MiB).`);
      return;
    }
    if (!ed.editBatch(edits, 'Replace All')) return;
    this.scopeReplaced(edits[0].offset, length, bytes.length, edits.length);
    ed.moveCursor(Math.min(ed.sel.cursor, ed.lastCursor), false);
    ed.notify('info', `Replaced ${groupDigits(edits.length)} match(es) in one edit${r.complete ? '' : ` (stopped at ${groupDigits(FIND_ALL_CAP)})`}.`);
    this.restart();
  }
}

function row(...children: HTMLElement[]): HTMLElement {
  const r = document.createElement('div');
  r.className = 'widget-row';
  r.append(...children);
  return r;
}
