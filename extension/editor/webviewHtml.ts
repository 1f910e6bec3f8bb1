/**
 * The editor webview's HTML: a strict Content-Security-Policy (only our
 * nonce'd script and style run; fonts only from the extension's own
 * resources), the bundle and its stylesheet written into the page, the
 * codicon sheet's address, and the document's first frame of data. The webview's
 * localResourceRoots (dist/webview and media) are set by the provider.
 *
 * WHY everything the first frame needs is in the page: in VS Code every
 * resource a webview loads is a round trip through the workbench to the
 * extension host (80-110 ms each, measured in code-server), and the
 * 'ready' -> 'init' exchange is another. With the script and stylesheet
 * inline and the document's info and first screen of bytes in a JSON block
 * (#hexmap-boot, data, never run), the script draws the first frame as
 * soon as the page is parsed. It still says 'ready': the host's 'init'
 * then brings anything that changed meanwhile and what waited for it
 * (reveals, actions).
 *
 * WHY the codicon sheet is not a <link> in the page: VS Code keeps a new
 * webview's frame hidden until the page's `load` event, and `load` waits for
 * every stylesheet the page names (even media="print"); that sheet is a
 * round trip through the extension host, so it held the first paint back
 * by 100-250 ms. Icons only appear in widgets opened later: the page names
 * the sheet in a <meta> and main.ts adds the link after `load`.
 */
// Type-only import: Uri.with builds the asset URIs, so this file has no
// runtime dependency on `vscode` and the Chromium tests serve the very same page.
import type * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { HostMessage } from '../../shared/protocol';
import { newNonce, strictCsp } from './webviewSecurity';

type InitMessage = Extract<HostMessage, { type: 'init' }>;

/** The bundle's script and stylesheet, read once per extension host (they only change with the extension). */
let bundle: Promise<{ script: string; style: string }> | undefined;

export function readEditorBundle(distWebview: string): Promise<{ script: string; style: string }> {
  return (bundle ??= Promise.all([readFile(`${distWebview}/editor.js`, 'utf8'), readFile(`${distWebview}/editor.css`, 'utf8')])
    .then(([script, style]) => ({ script, style }), (e: unknown) => { bundle = undefined; throw e; }));
}

export async function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, boot?: InitMessage): Promise<string> {
  const base = extensionUri.path.replace(/\/+$/, '');
  const asset = (...path: string[]): string =>
    webview.asWebviewUri(extensionUri.with({ path: [base, 'dist', 'webview', ...path].join('/') })).toString();
  const { script, style } = await readEditorBundle(`${extensionUri.fsPath.replace(/[\\/]+$/, '')}/dist/webview`);
  return editorHtmlFor({ cspSource: webview.cspSource, nonce: newNonce(), script, style, codiconUri: asset('codicons', 'codicon.css'), boot });
}

/**
 * The same page with every part given: the Chromium tests serve it too.
 * `script` / `style`: the bundle's text (written into the page) or, with
 * scriptUri / styleUri, loaded from a URL. `boot`: the first 'init', in the page.
 */
export function editorHtmlFor(p: {
  cspSource: string; nonce: string; codiconUri: string; boot?: InitMessage;
  script?: string; style?: string; scriptUri?: string; styleUri?: string;
}): string {
  const csp = strictCsp(p.cspSource, p.nonce, { images: true, inlineStyle: p.style !== undefined });
  const style = p.style !== undefined
    ? `<style id="hexmap-css" nonce="${p.nonce}">${p.style.replace(/<\/style/gi, '<\\/style')}</style>`
    : `<link rel="stylesheet" id="hexmap-css" href="${p.styleUri}">`;
  // Inline, the script runs as it is parsed (the style before it already applies); loaded, it is
  // async so that it says 'ready' as soon as it arrives (main.ts waits for #hexmap-css itself).
  const script = p.script !== undefined
    ? `<script nonce="${p.nonce}">${p.script.replace(/<\/script/gi, '<\\/script')}</script>`
    : `<script nonce="${p.nonce}" async src="${p.scriptUri}"></script>`;
  const boot = p.boot ? `<script type="application/json" id="hexmap-boot">${jsonForHtml(p.boot)}</script>\n` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<meta name="hexmap-codicons" content="${escapeAttribute(p.codiconUri)}">
<title>Hexmap</title>
</head>
<body>
<div id="hexmap-root" class="hexmap-loading" aria-busy="true"></div>
${boot}${script}
</body>
</html>`;
}

/**
 * The message as JSON that is safe inside <script type="application/json">:
 * bytes as base64 ({ $b64 }), and '<' escaped so nothing in a file name can
 * close the element.
 */
function jsonForHtml(message: InitMessage): string {
  return JSON.stringify(message, (_k, v: unknown) => (v instanceof Uint8Array ? { $b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v))
    .replace(/</g, '\\u003c');
}

/** Text safe inside a double-quoted HTML attribute. */
function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
