/**
 * Wires the text encodings into VS Code: the per-file choices (remembered
 * in global state), the `hexmap.encoding` setting, the status bar item and
 * the "Change Text Encoding" command, and every open editor of a file
 * following a new choice.
 */
import * as vscode from 'vscode';
import { isTextEncoding, type TextEncoding } from '../../shared/encodings';
import type { DocumentModel } from '../document/documentModel';
import type { EditorSession } from '../editor/editorSession';
import type { InspectEditors, InspectableEditor } from './editors';
import { EncodingChoices } from './encodingChoice';
import { EncodingStatusItem, pickEncoding } from './encodingPicker';

/** What this needs of the editor registry: the open editors and their sessions. */
export interface EncodingEditors extends InspectEditors {
  editors(): InspectableEditor[];
  sessionOf(editor: InspectableEditor): Pick<EditorSession, 'setEncoding'> | undefined;
}

export function encodingSetting(): TextEncoding {
  const v = vscode.workspace.getConfiguration('hexmap').get<string>('encoding', 'utf-8');
  return isTextEncoding(v) ? v : 'utf-8';
}

export function activateTextEncodings(context: vscode.ExtensionContext, editors: EncodingEditors): EncodingChoices {
  const choices = new EncodingChoices(context.globalState, encodingSetting);
  context.subscriptions.push(
    new EncodingStatusItem(editors, choices),
    vscode.commands.registerCommand('hexmap.chooseEncoding', (encoding?: unknown) => pickEncoding(editors, choices, encoding)),
    choices.onDidChange((file, state) => {
      for (const e of editors.editors()) if (e.uri.toString() === file) editors.sessionOf(e)?.setEncoding(state.encoding);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('hexmap.encoding')) choices.settingChanged(); }),
  );
  return choices;
}

/** The encoding a new editor opens in: its file's first bytes may hold a BOM. */
export async function openEncoding(choices: EncodingChoices, uri: vscode.Uri, model: DocumentModel): Promise<TextEncoding> {
  const first = model.size > 0 ? await model.readBytes(0, Math.min(3, model.size)) : new Uint8Array(0);
  return choices.open(uri.toString(), first).encoding;
}
