/** Tiny DOM helpers for the inspector and report webviews (text only: no innerHTML anywhere). */

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== false) node.append(c);
  return node;
}

export const icon = (name: string, label?: string): HTMLElement =>
  el('span', { class: `codicon codicon-${name}`, ...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' }) });

/** A two-column key/value table with a caption; rows with an undefined value show "—" (not available). */
export function facts(caption: string, rows: [string, string | Node | undefined, string?][]): HTMLTableElement {
  return el('table', { class: 'facts' },
    el('caption', {}, caption),
    el('tbody', {}, ...rows.map(([k, v, title]) => el('tr', title ? { title } : {},
      el('th', { scope: 'row' }, k),
      el('td', v === undefined ? { class: 'absent' } : {}, v === undefined ? '—' : v)))));
}

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
