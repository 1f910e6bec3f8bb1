/**
 * The editor webview's HTML: a strict Content-Security-Policy (no inline
 * script or style, only our nonce'd bundle; styles, fonts and images only
 * from the extension's own resources), the bundle, its stylesheet and the
 * codicon font. The webview's localResourceRoots (dist/webview and media)
 * are set by the provider.
 *
 * WHY the script is `async` and the codicons start as media="print": a
 * parser-inserted script waits for every stylesheet before it runs, and the
 * first frame needs a round trip to the host ('ready' -> 'init'). Async, the
 * script says 'ready' as soon as it has arrived, so that round trip overlaps
 * the stylesheets' loading (main.ts waits for #hexmap-css before it measures
 * anything). Icons only appear in widgets opened later, so the codicon sheet
 * (and its font) must not block the first paint: main.ts switches it to
 * media="all" after the first frame.
 */
// Type-only import: Uri.with builds the asset URIs, so this file has no
// runtime dependency on `vscode` and the Chromium tests serve the very same page.
import type * as vscode from 'vscode';
import { newNonce, strictCsp } from './webviewSecurity';

export function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = newNonce();
  const base = extensionUri.path.replace(/\/+$/, '');
  const asset = (...path: string[]): string =>
    webview.asWebviewUri(extensionUri.with({ path: [base, 'dist', 'webview', ...path].join('/') })).toString();
  return editorHtmlFor({
    cspSource: webview.cspSource,
    nonce,
    scriptUri: asset('editor.js'),
    styleUri: asset('editor.css'),
    codiconUri: asset('codicons', 'codicon.css'),
  });
}

/** The same page with every external part given: the Chromium tests serve it too. */
export function editorHtmlFor(p: { cspSource: string; nonce: string; scriptUri: string; styleUri: string; codiconUri: string }): string {
  const csp = strictCsp(p.cspSource, p.nonce, { images: true });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="hexmap-css" href="${p.styleUri}">
<link rel="stylesheet" id="hexmap-codicons" media="print" href="${p.codiconUri}">
<title>Hexmap</title>
</head>
<body>
<div id="hexmap-root" class="hexmap-loading" aria-busy="true"></div>
<script nonce="${p.nonce}" async src="${p.scriptUri}"></script>
</body>
</html>`;
}
