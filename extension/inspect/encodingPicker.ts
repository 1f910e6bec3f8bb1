/**
 * The text encoding of the active Hexmap editor, picked like VS Code's own:
 * a status bar item showing it ("UTF-16LE (BOM)" when a byte order mark
 * chose it) that opens a quick pick of the six encodings; also the command
 * "Hexmap: Change Text Encoding". The policy (per-file memory, BOM, setting)
 * is EncodingChoices'; this file only presents it.
 */
import * as vscode from 'vscode';
import { TEXT_ENCODINGS, codecFor, type TextEncoding } from '../../shared/encodings';
import type { InspectEditors } from './editors';
import { encodingLabel, type EncodingChoices } from './encodingChoice';

const label = (e: TextEncoding) => codecFor(e).label;

export class EncodingStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hexmap.status.textEncoding', vscode.StatusBarAlignment.Right, 101.5);
  private readonly disposables: { dispose(): void }[] = [];

  constructor(private readonly editors: InspectEditors, private readonly choices: EncodingChoices) {
    this.item.name = 'Hexmap Text Encoding';
    this.item.command = 'hexmap.chooseEncoding';
    this.disposables.push(editors.onDidChangeActive(() => this.update()), choices.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const e = this.editors.active;
    if (!e) { this.item.hide(); return; }
    const state = this.choices.current(e.uri.toString());
    this.item.text = encodingLabel(state, label);
    const bomNote = state.bom && state.bom !== state.encoding ? ` The file starts with a ${label(state.bom)} byte order mark.` : '';
    const why = state.source === 'bom' ? 'chosen by the byte order mark at offset 0' : state.source === 'chosen' ? 'chosen for this file' : 'the hexmap.encoding setting';
    this.item.tooltip = `Text pane encoding: ${label(state.encoding)} (${why}).${bomNote} Click to change.`;
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
  }
}

/** The quick pick; resolves once the choice is applied (undefined when dismissed or no editor). */
export async function pickEncoding(editors: InspectEditors, choices: EncodingChoices, preset?: unknown): Promise<TextEncoding | undefined> {
  const e = editors.active;
  if (!e) {
    void vscode.window.showInformationMessage('Hexmap: open a file in the hex editor to change its text encoding.');
    return undefined;
  }
  const file = e.uri.toString();
  const state = choices.current(file);
  let picked: TextEncoding | undefined;
  if (typeof preset === 'string' && (TEXT_ENCODINGS as readonly string[]).includes(preset)) picked = preset as TextEncoding;
  else {
    const items = TEXT_ENCODINGS.map((enc) => ({
      label: label(enc), description: [enc === state.encoding ? 'current' : '', enc === state.bom ? 'byte order mark' : ''].filter(Boolean).join(', '),
      detail: codecFor(enc).description, encoding: enc,
    }));
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Hexmap: text encoding of the text pane', placeHolder: `Show ${e.uri.path.split('/').pop()} as…`, matchOnDetail: true,
    });
    picked = choice?.encoding;
  }
  if (!picked) return undefined;
  await choices.choose(file, picked);
  return picked;
}
