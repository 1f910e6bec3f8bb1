/**
 * The Hexmap Inspector view: what the byte(s) at the cursor are as a
 * character and as numbers, and what the selection holds. The host sends
 * the bytes around the cursor; everything shown is computed here by
 * shared/inspect.ts, the same code the unit tests check against TextDecoder
 * and DataView.
 */
import './main.css';
import { describeSelection, formatFloat, hex2, inspectCharacter, inspectNumbers, type NumberValues } from '../../shared/inspect';
import type { HostToInspector, InspectorState } from '../../shared/inspectMessages';
import { el, facts, icon, vscodeApi } from './dom';

const vscode = vscodeApi();
const root = document.getElementById('root')!;
let littleEndian = (vscode.getState() as { littleEndian?: boolean } | undefined)?.littleEndian ?? true;
let last: InspectorState | undefined;

window.addEventListener('message', (event: MessageEvent<HostToInspector>) => {
  const m = event.data;
  if (m.type === 'state') {
    last = m.state;
    littleEndian = m.state.littleEndian;
    render(m.state);
  } else if (m.type === 'empty') {
    last = undefined;
    littleEndian = m.littleEndian;
    renderEmpty();
  }
});
vscode.postMessage({ type: 'ready' });
renderEmpty();

function renderEmpty(): void {
  root.replaceChildren(el('p', { class: 'empty' }, icon('inspect'), ' Open a file with Hexmap and move the cursor to inspect its bytes.'));
}

function render(s: InspectorState): void {
  const bytes = Uint8Array.from(s.bytes);
  const at = s.cursor - s.bytesOffset;
  root.replaceChildren(
    characterSection(bytes, at, s.bytesOffset),
    numbersSection(bytes.subarray(at), s.cursor),
    selectionSection(s),
  );
}

function characterSection(bytes: Uint8Array, at: number, base: number): HTMLElement {
  const c = inspectCharacter(bytes, at, base);
  if (!c) return el('section', {}, el('h2', {}, 'Character'), el('p', { class: 'absent' }, 'No byte at the cursor (end of file).'));
  const hexBytes = c.bytes.map(hex2).join(' ');
  const validity = c.problem
    ? el('span', { class: 'invalid' }, icon('warning', 'invalid'), ` Invalid: ${c.problem}`)
    : el('span', { class: 'valid' }, icon('pass', 'valid'), ' Valid UTF-8');
  return el('section', { 'aria-label': 'Character at the cursor' },
    el('h2', {}, 'Character'),
    el('div', { class: 'glyph-row' },
      el('span', { class: `glyph${c.problem ? ' invalid' : ''}`, 'aria-hidden': 'true' }, c.glyph),
      el('span', { class: 'code-point' }, c.label)),
    facts('Character at the cursor', [
      ['Status', validity],
      ['Category', c.category ? `${c.category.name} (${c.category.code})` : undefined],
      ['UTF-8', hexBytes, `Starts at offset 0x${c.offset.toString(16).toUpperCase()}`],
      ['UTF-16', c.utf16.length ? c.utf16.map((u) => u.toString(16).toUpperCase().padStart(4, '0')).join(' ') : undefined],
      ['Length', `${c.bytes.length} byte${c.bytes.length === 1 ? '' : 's'}`],
    ]),
  );
}

function numbersSection(bytes: Uint8Array, cursor: number): HTMLElement {
  const v: NumberValues = inspectNumbers(bytes.subarray(0, 8), littleEndian);
  const str = (x: number | bigint | undefined) => (x === undefined ? undefined : x.toString());
  const toggle = el('button', {
    class: 'endian', type: 'button', 'aria-pressed': String(littleEndian),
    title: 'Byte order for multi-byte numbers (remembered)',
  }, icon('arrow-swap'), littleEndian ? ' Little-endian' : ' Big-endian');
  toggle.addEventListener('click', () => {
    littleEndian = !littleEndian;
    vscode.setState({ littleEndian });
    vscode.postMessage({ type: 'setLittleEndian', value: littleEndian });
    if (last) render({ ...last, littleEndian });
  });
  return el('section', { 'aria-label': 'Bytes at the cursor as numbers' },
    el('div', { class: 'section-head' }, el('h2', {}, `Numbers at 0x${cursor.toString(16).toUpperCase()}`), toggle),
    facts('Integers', [
      ['int8', str(v.int8)], ['uint8', str(v.uint8)],
      ['int16', str(v.int16)], ['uint16', str(v.uint16)],
      ['int32', str(v.int32)], ['uint32', str(v.uint32)],
      ['int64', str(v.int64)], ['uint64', str(v.uint64)],
    ]),
    facts('Floating point', [
      ['float16', formatFloat(v.float16)], ['float32', formatFloat(v.float32)], ['float64', formatFloat(v.float64)],
    ]),
    facts('Other', [
      ['Binary', v.binary], ['Octal', v.octal],
      ['Unix time (32-bit)', v.unixTime32, 'Signed 32-bit seconds since 1970-01-01 UTC'],
      ['Unix time (64-bit)', v.unixTime64, 'Signed 64-bit seconds since 1970-01-01 UTC'],
    ]),
  );
}

function selectionSection(s: InspectorState): HTMLElement {
  const sel = s.selection;
  const text = describeSelection({ bytes: sel.length, chars: sel.chars, lines: sel.lines, invalid: sel.invalid });
  return el('section', { 'aria-label': 'Selection' },
    el('h2', {}, 'Selection'),
    el('p', {}, `0x${sel.offset.toString(16).toUpperCase()}..0x${(sel.offset + Math.max(0, sel.length - 1)).toString(16).toUpperCase()}: `, text,
      sel.counting ? el('span', { class: 'counting' }, ' ', icon('loading codicon-modifier-spin'), ' counting…') : undefined),
  );
}
