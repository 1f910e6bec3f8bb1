/**
 * Registers everything INSPECT contributes: the inspector view, the encoding
 * report, next/previous invalid and non-ASCII, Copy As, the status bar.
 * Called once by extension.ts with DOCUMENT's EditorRegistry.
 */
import * as vscode from 'vscode';
import { copyAs } from './copyAs';
import type { InspectEditors, InspectableEditor } from './editors';
import { INSPECTOR_VIEW_ID, InspectorViewProvider } from './inspectorView';
import { jumpToUnit } from './navigation';
import { ReportPanels } from './reportPanel';
import { InspectStatusBar } from './statusBar';
import type { EncodingChoices } from './encodingChoice';

export function activateInspectFeatures(context: vscode.ExtensionContext, editors: InspectEditors, encodings?: EncodingChoices): void {
  const inspector = new InspectorViewProvider(context.extensionUri, editors, context.globalState, encodings);
  const reports = new ReportPanels(context.extensionUri, editors, encodings);
  const encodingOf = (e: InspectableEditor) => encodings?.current(e.uri.toString()).encoding ?? 'utf-8';
  context.subscriptions.push(
    inspector,
    vscode.window.registerWebviewViewProvider(INSPECTOR_VIEW_ID, inspector),
    reports,
    new InspectStatusBar(editors, encodings),
    vscode.commands.registerCommand('hexmap.showEncodingReport', () => reports.show()),
    vscode.commands.registerCommand('hexmap.nextInvalid', () => jumpToUnit(editors, 'invalid', true, encodingOf)),
    vscode.commands.registerCommand('hexmap.previousInvalid', () => jumpToUnit(editors, 'invalid', false, encodingOf)),
    vscode.commands.registerCommand('hexmap.nextNonAscii', () => jumpToUnit(editors, 'nonAscii', true, encodingOf)),
    vscode.commands.registerCommand('hexmap.previousNonAscii', () => jumpToUnit(editors, 'nonAscii', false, encodingOf)),
    vscode.commands.registerCommand('hexmap.copyAs', (format?: unknown) => copyAs(editors, format)),
  );
}
