/**
 * The security policy every Hexmap webview page uses (editor, inspector,
 * report), kept in one place so there is one policy to review. No runtime
 * `vscode` import: the Chromium tests serve the editor page with it too.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce per page: the only script a page runs is the one carrying it. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * A strict Content-Security-Policy: nothing by default; scripts only with the
 * nonce (no eval, no inline code without it); styles and fonts only from the
 * extension's own resources. `images` adds img-src for our resources and
 * data: URIs; `inlineStyle` lets the one <style> carrying the nonce apply.
 */
export function strictCsp(cspSource: string, nonce: string, { images = false, inlineStyle = false } = {}): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}${inlineStyle ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${cspSource}`,
    ...(images ? [`img-src ${cspSource} data:`] : []),
  ].join('; ');
}
