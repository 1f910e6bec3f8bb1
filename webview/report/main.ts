/**
 * The encoding report panel, in the file's text encoding: bytes vs
 * characters, invalid units (each listed offset jumps there), BOM, line
 * endings and NULs; for UTF-8 also characters by encoded length; and in
 * which of the six encodings the whole file is valid. Data comes computed
 * from the host (ReportData).
 */
import './main.css';
import type { ReportData } from '../../extension/inspect/encodingReport';
import type { HostToReport } from '../../extension/inspect/reportPanel';
import { el, facts, icon, vscodeApi } from '../inspector/dom';
import { TEXT_ENCODINGS, codecFor } from '../../shared/encodings';

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

/** "Valid in: UTF-8, ISO 8859-1 · not in: …" */
function validityLine(d: ReportData): Node | undefined {
  const v = d.validIn;
  if (!v) return undefined;
  const yes = TEXT_ENCODINGS.filter((e) => v[e]).map((e) => codecFor(e).label);
  const no = TEXT_ENCODINGS.filter((e) => !v[e]).map((e) => codecFor(e).label);
  return el('p', { class: 'note validity', 'aria-label': 'Encodings the whole file is valid in' }, icon('symbol-key'),
    ` Valid in: ${yes.join(', ') || 'none'}`, no.length ? ` · not valid in: ${no.join(', ')}` : '',
    ' (ISO 8859-1 defines every byte, so any file is valid in it)');
}

function render(d: ReportData, stale: boolean): void {
  if (d.text && d.encoding && d.encoding !== 'utf-8') { renderOther(d, stale); return; }
  const s = d.stats;
  const valid = s.invalid === 0;
  const refresh = el('button', { type: 'button', class: 'refresh' }, icon('refresh'), ' Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));

  const verdict = valid
    ? el('p', { class: 'verdict ok' }, icon('pass', 'valid'), ' Valid UTF-8', s.bom ? ' with a byte order mark' : '')
    : el('p', { class: 'verdict bad' }, icon('warning', 'invalid'), ` Not valid UTF-8: ${num(s.invalid)} invalid sequence${s.invalid === 1 ? '' : 's'}`,
      ' (each shown as U+FFFD, as TextDecoder does)');

  const invalidList = offsetList(s.invalidOffsets, s.invalid, 'Invalid sequences');

  const parts: (Node | undefined)[] = [
    el('header', {},
      el('h1', {}, icon('report'), ` ${d.fileName}`),
      refresh),
    stale ? el('p', { class: 'note stale' }, icon('info'), ' The file changed since this report was computed. Refresh to update it.') : undefined,
    verdict,
    validityLine(d),
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

/** The listed invalid offsets, each a link that jumps there. */
function offsetList(offsets: number[], total: number, title: string): Node | undefined {
  if (!offsets.length) return undefined;
  return el('section', { 'aria-label': title },
    el('h2', {}, `${title}${total > offsets.length ? ` (first ${num(offsets.length)} of ${num(total)})` : ''}`),
    el('ol', { class: 'offsets' }, ...offsets.map((o) => {
      const b = el('button', { type: 'button', class: 'link', title: `Go to offset ${num(o)}` }, hexOff(o));
      b.addEventListener('click', () => vscode.postMessage({ type: 'reveal', offset: o }));
      return el('li', {}, b);
    })));
}

/** The report in an encoding other than UTF-8 (the counts of `d.text`). */
function renderOther(d: ReportData, stale: boolean): void {
  const t = d.text!;
  const codec = codecFor(d.encoding!);
  const name = codec.label;
  const refresh = el('button', { type: 'button', class: 'refresh' }, icon('refresh'), ' Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const verdict = t.invalid === 0
    ? el('p', { class: 'verdict ok' }, icon('pass', 'valid'), ` Valid ${name}`, t.bom ? ' with a byte order mark' : '')
    : el('p', { class: 'verdict bad' }, icon('warning', 'invalid'), ` Not valid ${name}: ${num(t.invalid)} invalid unit${t.invalid === 1 ? '' : 's'}`,
      codec.unitSize === 2 ? ' (unpaired surrogates, an odd last byte)' : d.encoding === 'ascii' ? ' (bytes 80..FF)' : ' (undefined bytes)');
  const sized: [string, string, string?][] = [
    ['Bytes', num(t.bytes)],
    ['Characters', num(t.chars), `Code points as TextDecoder produces them from ${name}, one U+FFFD per invalid unit`],
    ['Non-ASCII characters', num(t.nonAscii) + pct(t.nonAscii, t.chars), 'Valid characters above U+007F'],
  ];
  if (codec.unitSize === 2) sized.push(['Surrogate pairs', num(t.supplementary) + pct(t.supplementary, t.chars), 'Characters above U+FFFF: 4 bytes each']);
  sized.push(['Invalid', num(t.invalid) + pct(t.invalid, t.chars)]);
  const parts: (Node | undefined)[] = [
    el('header', {}, el('h1', {}, icon('report'), ` ${d.fileName} (${name})`), refresh),
    stale ? el('p', { class: 'note stale' }, icon('info'), ' The file changed since this report was computed. Refresh to update it.') : undefined,
    verdict,
    validityLine(d),
    t.nul > 0 ? el('p', { class: 'note' }, icon('file-binary'), ` Contains ${num(t.nul)} NUL character${t.nul === 1 ? '' : 's'}: probably binary data, not text.`) : undefined,
    el('div', { class: 'grid' },
      facts(`Bytes and characters in ${name}`, sized),
      facts('Line endings and special characters', [
        ['LF', num(t.lf)],
        ['CRLF', num(t.crlf)],
        ['CR alone', num(t.cr)],
        ['NUL', num(t.nul)],
        ['Byte order mark', t.bom ? `Yes (${d.encoding === 'utf-16le' ? 'FF FE' : 'FE FF'} at offset 0)` : 'No'],
      ]),
    ),
    offsetList(t.invalidOffsets, t.invalid, 'Invalid units'),
    el('p', { class: 'note footer' },
      `${num(d.fileSize)} bytes scanned in ${(d.durationMs / 1000).toFixed(2)} s (${d.backend} backend) at ${new Date(d.computedAt).toLocaleTimeString()}`,
      d.includesUnsavedEdits ? '; includes unsaved edits' : ''),
  ];
  root.replaceChildren(...parts.filter((p): p is Node => p !== undefined));
}
