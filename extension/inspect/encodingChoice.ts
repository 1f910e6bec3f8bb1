/**
 * Which text encoding each file is shown in. The rule, in order: the
 * encoding the user chose for this file (remembered across sessions), else
 * the one a byte order mark at offset 0 announces (FF FE, FE FF, EF BB BF),
 * else the `hexmap.encoding` setting. A BOM never overrides a choice; the
 * status bar then says what the BOM suggests in its tooltip. Every editor of
 * one file shows the same encoding. Plain logic over a memento, so it is
 * tested without VS Code; the picker (encodingPicker.ts) presents it.
 */
import { encodingOfBom, isTextEncoding, type TextEncoding } from '../../shared/encodings';

/** Where a file's encoding came from. */
export type EncodingSource = 'chosen' | 'bom' | 'setting';

export interface EncodingState {
  encoding: TextEncoding;
  source: EncodingSource;
  /** What the file's BOM announces, if it has one. */
  bom?: TextEncoding;
}

/** The part of vscode.Memento this uses. */
export interface ChoiceMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'hexmap.textEncodingByFile';
/** Files remembered; the least recently chosen are forgotten first. */
export const REMEMBERED_FILES = 500;

/** The encoding a file opens in (the rule above). */
export function initialEncoding(chosen: TextEncoding | undefined, bom: TextEncoding | undefined, setting: TextEncoding): EncodingState {
  if (chosen) return { encoding: chosen, source: 'chosen', bom };
  if (bom) return { encoding: bom, source: 'bom', bom };
  return { encoding: setting, source: 'setting' };
}

export class EncodingChoices {
  private readonly states = new Map<string, EncodingState>();
  private readonly listeners: ((file: string, state: EncodingState) => void)[] = [];

  constructor(private readonly memento: ChoiceMemento, private readonly setting: () => TextEncoding) {}

  /** The encoding to open `file` in; `firstBytes` are its first 3 bytes (for the BOM). */
  open(file: string, firstBytes: Uint8Array): EncodingState {
    const state = initialEncoding(this.remembered(file), encodingOfBom(firstBytes)?.encoding, this.setting());
    this.states.set(file, state);
    return state;
  }

  /** The encoding `file` is shown in now (the setting for a file not opened through `open`). */
  current(file: string): EncodingState {
    return this.states.get(file) ?? { encoding: this.setting(), source: 'setting' };
  }

  /** The user picked `encoding` for `file`: remembered, and every editor of the file follows. */
  async choose(file: string, encoding: TextEncoding): Promise<void> {
    const state: EncodingState = { encoding, source: 'chosen', bom: this.current(file).bom };
    this.states.set(file, state);
    const all = { ...this.memento.get<Record<string, string>>(KEY) };
    delete all[file]; // re-inserted last: objects keep insertion order, the oldest go first
    all[file] = encoding;
    const names = Object.keys(all);
    for (const old of names.slice(0, Math.max(0, names.length - REMEMBERED_FILES))) delete all[old];
    await this.memento.update(KEY, all);
    for (const l of this.listeners) l(file, state);
  }

  /** The setting changed: files that follow it follow the new value. */
  settingChanged(): void {
    for (const [file, state] of this.states) {
      if (state.source !== 'setting') continue;
      const next: EncodingState = { encoding: this.setting(), source: 'setting' };
      this.states.set(file, next);
      for (const l of this.listeners) l(file, next);
    }
  }

  onDidChange(listener: (file: string, state: EncodingState) => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => { const i = this.listeners.indexOf(listener); if (i >= 0) this.listeners.splice(i, 1); } };
  }

  private remembered(file: string): TextEncoding | undefined {
    const v = this.memento.get<Record<string, unknown>>(KEY)?.[file];
    return isTextEncoding(v) ? v : undefined;
  }
}

/** What the status bar shows for a state: "UTF-16LE (BOM)" when the BOM chose it. */
export function encodingLabel(state: EncodingState, label: (e: TextEncoding) => string): string {
  return state.source === 'bom' ? `${label(state.encoding)} (BOM)` : label(state.encoding);
}
