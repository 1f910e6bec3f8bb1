/**
 * HTML for the inspector view and the report panel: a strict CSP (nonce'd
 * bundle only, styles and fonts from the extension's dist/webview), the
 * bundle, its stylesheet and the codicon font.
 */
import * as vscode from 'vscode';
import { newNonce, strictCsp } from '../editor/webviewSecurity';

export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: 'inspector' | 'report', title: string): string {
  const nonce = newNonce();
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', ...path)).toString();
  const csp = strictCsp(webview.cspSource, nonce);
  const escapedTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset(`${bundle}.css`)}">
<title>${escapedTitle}</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${asset(`${bundle}.js`)}"></script>
</body>
</html>`;
}

/** Webview options shared by both: scripts on, resources only from dist/webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}
