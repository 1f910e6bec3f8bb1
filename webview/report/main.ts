/**
 * The encoding report panel: bytes vs characters, characters by encoded
 * length, invalid sequences (each listed offset jumps there), BOM, line
 * endings and NULs. Data comes computed from the host (ReportData).
 */
import './main.css';
import type { ReportData } from '../../extension/inspect/encodingReport';
import type { HostToReport } from '../../extension/inspect/reportPanel';
import { el, facts, icon, vscodeApi } from '../inspector/dom';

const vscode = vscodeApi();
const root = document.getElementById('root')!;
const num = (n: number) => n.toLocaleString('en-US');
const hexOff = (n: number) => `0x${n.toString(16).toUpperCase()}`;
const pct = (part: number, whole: number) => (whole === 0 ? '' : ` (${((part / whole) * 100).toFixed(part === whole || part === 0 ? 0 : 2)}%)`);

window.addEventListener('message', (event: MessageEvent<HostToReport>) => {
  const m = event.data;
  if (m.type === 'report') render(m.data, m.stale);
  else root.replaceChildren(el('p', { class: 'note' }, icon('loading codicon-modifier-spin'), ' Computing…'));
});
vscode.postMessage({ type: 'ready' });
root.replaceChildren(el('p', { class: 'note' }, 'Waiting for the report…'));

function render(d: ReportData, stale: boolean): void {
  const s = d.stats;
  const valid = s.invalid === 0;
  const refresh = el('button', { type: 'button', class: 'refresh' }, icon('refresh'), ' Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));

  const verdict = valid
    ? el('p', { class: 'verdict ok' }, icon('pass', 'valid'), ' Valid UTF-8', s.bom ? ' with a byte order mark' : '')
    : el('p', { class: 'verdict bad' }, icon('warning', 'invalid'), ` Not valid UTF-8: ${num(s.invalid)} invalid sequence${s.invalid === 1 ? '' : 's'}`,
      ' (each shown as U+FFFD, as TextDecoder does)');

  const invalidList = s.invalidOffsets.length
    ? el('section', { 'aria-label': 'Invalid sequences' },
      el('h2', {}, `Invalid sequences${s.invalid > s.invalidOffsets.length ? ` (first ${num(s.invalidOffsets.length)} of ${num(s.invalid)})` : ''}`),
      el('ol', { class: 'offsets' }, ...s.invalidOffsets.map((o) => {
        const b = el('button', { type: 'button', class: 'link', title: `Go to offset ${num(o)}` }, hexOff(o));
        b.addEventListener('click', () => vscode.postMessage({ type: 'reveal', offset: o }));
        return el('li', {}, b);
      })))
    : undefined;

  const parts: (Node | undefined)[] = [
    el('header', {},
      el('h1', {}, icon('report'), ` ${d.fileName}`),
      refresh),
    stale ? el('p', { class: 'note stale' }, icon('info'), ' The file changed since this report was computed. Refresh to update it.') : undefined,
    verdict,
    s.nul > 0 ? el('p', { class: 'note' }, icon('file-binary'), ` Contains ${num(s.nul)} NUL byte${s.nul === 1 ? '' : 's'}: probably binary data, not text.`) : undefined,
    el('div', { class: 'grid' },
      facts('Bytes and characters', [
        ['Bytes', num(s.bytes)],
        ['Characters', num(s.chars), 'Code points as TextDecoder produces them, one U+FFFD per invalid sequence'],
        ['Bytes − characters', num(s.bytes - s.chars), 'Extra bytes spent on multi-byte characters and invalid sequences'],
      ]),
      facts('Characters by encoded length', [
        ['ASCII (1 byte)', num(s.ascii) + pct(s.ascii, s.chars)],
        ['2 bytes', num(s.twoByte) + pct(s.twoByte, s.chars), 'U+0080..U+07FF: Latin-1 supplement, Greek, Cyrillic, Hebrew, Arabic…'],
        ['3 bytes', num(s.threeByte) + pct(s.threeByte, s.chars), 'U+0800..U+FFFF: most other scripts, CJK, symbols'],
        ['4 bytes', num(s.fourByte) + pct(s.fourByte, s.chars), 'U+10000..U+10FFFF: emoji, historic scripts, rare CJK'],
        ['Invalid', num(s.invalid) + pct(s.invalid, s.chars)],
      ]),
      facts('Line endings and special bytes', [
        ['LF', num(s.lf)],
        ['CRLF', num(s.crlf)],
        ['CR alone', num(s.cr)],
        ['NUL', num(s.nul)],
        ['Byte order mark', s.bom ? 'Yes (EF BB BF at offset 0)' : 'No'],
      ]),
    ),
    invalidList,
    el('p', { class: 'note footer' },
      `${num(d.fileSize)} bytes scanned in ${(d.durationMs / 1000).toFixed(2)} s (${d.backend} backend) at ${new Date(d.computedAt).toLocaleTimeString()}`,
      d.includesUnsavedEdits ? '; includes unsaved edits' : ''),
  ];
  root.replaceChildren(...parts.filter((p): p is Node => p !== undefined));
}
