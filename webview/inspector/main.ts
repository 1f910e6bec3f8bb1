/**
 * The Hexmap Inspector view: what the byte(s) at the cursor are as a
 * character and as numbers, and what the selection holds. The host sends
 * the bytes around the cursor; everything shown is computed here by
 * shared/inspect.ts, the same code the unit tests check against TextDecoder
 * and DataView. A value can be typed over (shared/inspectEncode.ts checks
 * it as it is typed); the host writes it as one edit.
 */
import './main.css';
import { describeSelection, hex2, inspectCharacter, inspectNumbers, type NumberValues } from '../../shared/inspect';
import { codecFor, type TextCodec } from '../../shared/encodings';
import { encodeValue, fieldText, FIELD_LABELS, type EditableField } from '../../shared/inspectEncode';
import { BYTES_AFTER, MAX_EDIT_TEXT, type HostToInspector, type InspectorState } from '../../shared/inspectMessages';
import { el, facts, icon, vscodeApi } from './dom';

const vscode = vscodeApi();
const root = document.getElementById('root')!;
let littleEndian = (vscode.getState() as { littleEndian?: boolean } | undefined)?.littleEndian ?? true;
let last: InspectorState | undefined;
/** The value being typed, kept across re-renders (state updates arrive while the user types). */
let editing: { field: EditableField; offset: number; text: string; focus: boolean } | undefined;
/** The host's last refusal of an edit, shown above the values until the next edit or cursor move. */
let refusal: { field: EditableField; offset: number; message: string } | undefined;
/** True while render() replaces the DOM: the edit box losing focus then is not the user leaving it. */
let rendering = false;

window.addEventListener('message', (event: MessageEvent<HostToInspector>) => {
  const m = event.data;
  if (m.type === 'state') {
    last = m.state;
    littleEndian = m.state.littleEndian;
    render(m.state);
  } else if (m.type === 'empty') {
    last = undefined;
    editing = undefined;
    littleEndian = m.littleEndian;
    renderEmpty();
  } else if (m.type === 'editError') {
    refusal = { field: m.field, offset: m.offset, message: m.message };
    rerender();
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
  // An edit box belongs to one offset: when the cursor moves on, the edit is dropped.
  if (editing && editing.offset !== s.cursor) editing = undefined;
  rendering = true;
  try {
    root.replaceChildren(
      characterSection(bytes, at, s.bytesOffset, codecFor(s.encoding ?? 'utf-8')),
      numbersSection(bytes.subarray(at), s.cursor, s.editable === true),
      selectionSection(s),
    );
  } finally {
    rendering = false;
  }
}

function characterSection(bytes: Uint8Array, at: number, base: number, codec: TextCodec): HTMLElement {
  const c = inspectCharacter(bytes, at, base, 0, bytes.length, codec);
  if (!c) return el('section', {}, el('h2', {}, 'Character'), el('p', { class: 'absent' }, 'No byte at the cursor (end of file).'));
  const hexBytes = c.bytes.map(hex2).join(' ');
  const validity = c.problem
    ? el('span', { class: 'invalid' }, icon('warning', 'invalid'), ` Invalid: ${c.problem}`)
    : el('span', { class: 'valid' }, icon('pass', 'valid'), ` Valid ${codec.label}`);
  return el('section', { 'aria-label': 'Character at the cursor' },
    el('h2', {}, 'Character'),
    el('div', { class: 'glyph-row' },
      el('span', { class: `glyph${c.problem ? ' invalid' : ''}`, 'aria-hidden': 'true' }, c.glyph),
      el('span', { class: 'code-point' }, c.label)),
    facts('Character at the cursor', [
      ['Status', validity],
      ['Category', c.category ? `${c.category.name} (${c.category.code})` : undefined],
      [codec.label, hexBytes, `Starts at offset 0x${c.offset.toString(16).toUpperCase()}`],
      ['UTF-16', c.utf16.length ? c.utf16.map((u) => u.toString(16).toUpperCase().padStart(4, '0')).join(' ') : undefined],
      ['Length', `${c.bytes.length} byte${c.bytes.length === 1 ? '' : 's'}`],
    ]),
  );
}

function numbersSection(bytes: Uint8Array, cursor: number, editable: boolean): HTMLElement {
  const v: NumberValues = inspectNumbers(bytes.subarray(0, BYTES_AFTER), littleEndian);
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
  const at = { bytes, cursor, editable, values: v };
  const row = (field: EditableField, title?: string, suffix?: string): [string, Node | undefined, string?] =>
    [FIELD_LABELS[field], valueCell(at, field, suffix), title];
  const lebLength = (x: { length: number } | undefined) => (x ? ` (${x.length} byte${x.length === 1 ? '' : 's'})` : undefined);
  return el('section', { 'aria-label': 'Bytes at the cursor as numbers' },
    el('div', { class: 'section-head' }, el('h2', {}, `Numbers at 0x${cursor.toString(16).toUpperCase()}`), toggle),
    refusal && refusal.offset === cursor ? el('p', { class: 'edit-error', role: 'alert' }, icon('error'), ` Could not set ${FIELD_LABELS[refusal.field]}: ${refusal.message}`) : undefined,
    facts('Integers', [
      row('int8'), row('uint8'), row('int16'), row('uint16'), row('int24'), row('uint24'),
      row('int32'), row('uint32'), row('int64'), row('uint64'),
      row('uleb128', 'Unsigned LEB128 (DWARF, WebAssembly); byte order does not apply', lebLength(v.uleb128)),
      row('sleb128', 'Signed LEB128 (DWARF, WebAssembly); byte order does not apply', lebLength(v.sleb128)),
    ]),
    facts('Floating point', [
      row('float16', 'IEEE 754 binary16'), row('bfloat16', 'Brain floating point: the top 16 bits of a float32'), row('float32'), row('float64'),
    ]),
    facts('Date and time', [
      row('unixTime32', 'Signed 32-bit seconds since 1970-01-01 UTC'),
      row('unixTime64', 'Signed 64-bit seconds since 1970-01-01 UTC'),
      row('filetime', 'Windows FILETIME: unsigned 64-bit count of 100 ns since 1601-01-01 UTC'),
      row('dosDateTime', 'MS-DOS date and time (FAT, ZIP): date in the high 16 bits, time in the low 16, local time'),
    ]),
    facts('GUID', [
      row('guidWindows', 'Windows layout: the first three fields little-endian (as GUID is in memory)'),
      row('guidRfc', 'RFC 4122 layout: all 16 bytes in order (big-endian)'),
    ]),
    facts('Other', [row('binary', 'The byte at the cursor in base 2'), row('octal', 'The byte at the cursor in base 8')]),
  );
}

interface ValuesAt { bytes: Uint8Array; cursor: number; editable: boolean; values: NumberValues }

/** A value: plain text, or (when the document is editable) text that turns into an edit box on double-click or Enter. */
function valueCell(at: ValuesAt, field: EditableField, suffix?: string): Node | undefined {
  const text = fieldText(at.values, field);
  if (text === undefined) return undefined;
  if (editing && editing.field === field && editing.offset === at.cursor) return editBox(at, field);
  if (!at.editable) return el('span', {}, text, suffix);
  const cell = el('span', {
    class: 'editable', tabindex: '0', role: 'button', 'data-field': field,
    'aria-label': `${FIELD_LABELS[field]} ${text}: press Enter to edit`, title: 'Double-click or press Enter to type a new value',
  }, text, suffix ? el('span', { class: 'suffix' }, suffix) : undefined);
  const start = () => { editing = { field, offset: at.cursor, text, focus: true }; refusal = undefined; rerender(); };
  cell.addEventListener('dblclick', start);
  cell.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === 'F2') { e.preventDefault(); start(); } });
  return cell;
}

/** The edit box: checks the text as it is typed (the host checks again), Enter writes, Escape cancels. */
function editBox(at: ValuesAt, field: EditableField): Node {
  const input = el('input', { type: 'text', class: 'value-input', spellcheck: 'false', 'aria-label': `New ${FIELD_LABELS[field]} value`, maxlength: String(MAX_EDIT_TEXT) });
  input.value = editing!.text;
  const problem = el('div', { class: 'edit-problem', 'aria-live': 'polite' });
  const check = () => {
    const r = encodeValue(field, input.value, littleEndian, at.bytes.subarray(0, BYTES_AFTER));
    const message = 'error' in r ? r.error : r.bytes.length > at.bytes.length ? `${FIELD_LABELS[field]} takes ${r.bytes.length} bytes; the file ends sooner.` : '';
    problem.textContent = message;
    input.setAttribute('aria-invalid', String(message !== ''));
    return message === '';
  };
  input.addEventListener('input', () => { editing!.text = input.value; check(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!check()) return;
      vscode.postMessage({ type: 'editValue', offset: at.cursor, field, text: input.value, littleEndian });
      stopEditing(field);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      stopEditing(field);
    }
  });
  input.addEventListener('blur', () => { if (editing?.field === field && !rendering) stopEditing(field, false); });
  // Re-rendered while typing: focus the new box with the caret at the end. Just opened: select the old value.
  const selectAll = editing!.focus;
  editing!.focus = false;
  queueMicrotask(() => {
    input.focus();
    if (selectAll) input.select();
    else input.setSelectionRange(input.value.length, input.value.length);
  });
  check();
  return el('span', { class: 'edit' }, input, problem);
}

function stopEditing(field: EditableField, refocus = true): void {
  editing = undefined;
  rerender();
  if (refocus) (root.querySelector(`[data-field="${field}"]`) as HTMLElement | null)?.focus();
}

function rerender(): void {
  if (last) render(last);
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
