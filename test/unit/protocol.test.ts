/**
 * parseWebviewMessage: the host's gate for everything a webview sends. It
 * must accept every valid message, reject each malformed shape with a
 * ProtocolError, and never throw anything else, whatever arrives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_BATCH_BYTES, MAX_BATCH_EDITS, MAX_EDIT_LENGTH, MAX_PATTERN_LENGTH, MAX_READ_LENGTH, ProtocolError, parseWebviewMessage,
} from '../../shared/protocol';
import { randInt, rng } from '../support/randomUtf8';

const VALID: Record<string, unknown>[] = [
  { type: 'ready' },
  { type: 'request', id: 1, request: { kind: 'read', offset: 0, length: MAX_READ_LENGTH } },
  { type: 'request', id: 2, request: { kind: 'count', offset: 2 ** 40, length: 2 ** 40 } },
  { type: 'request', id: 3, request: { kind: 'find', pattern: Uint8Array.of(1, 2), ignoreCase: false, from: 0, backward: true, maxMatches: 10 } },
  { type: 'request', id: 4, request: { kind: 'find', pattern: Uint8Array.of(1, 2), mask: Uint8Array.of(0xff, 0), ignoreCase: true, from: 5, backward: false, maxMatches: 0 } },
  { type: 'cancel', id: 0 },
  { type: 'edit', offset: 7, bytes: Uint8Array.of(0x41), label: 'Type' },
  { type: 'edit', offset: 7, bytes: Uint8Array.of(0x41, 0x42), label: 'Insert', deleteLength: 0 },
  { type: 'edit', offset: 2 ** 40, bytes: new Uint8Array(0), label: 'Delete', deleteLength: 2 ** 40 },
  { type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'Replace', deleteLength: 5 },
  { type: 'editBatch', label: 'Replace All', edits: [{ offset: 0, deleteLength: 3, bytes: Uint8Array.of(1) }, { offset: 3, deleteLength: 0, bytes: Uint8Array.of(2) }, { offset: 9, deleteLength: 2, bytes: new Uint8Array(0) }] },
  { type: 'selection', cursor: 3, anchor: 9, focusedPane: 'text' },
  { type: 'notify', level: 'warning', message: 'Offset out of range' },
  { type: 'viewport', topOffset: Number.MAX_SAFE_INTEGER },
];

test('every valid message is accepted and comes back with the same fields', () => {
  for (const m of VALID) {
    const parsed = parseWebviewMessage(m) as unknown as Record<string, unknown>;
    assert.equal(parsed.type, m.type);
    for (const [k, v] of Object.entries(m)) {
      const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
      if (k === 'request') assert.deepEqual(defined(parsed[k] as object), defined(v as object));
      else assert.deepEqual(parsed[k], v, `${String(m.type)}.${k}`);
    }
  }
});

test('unknown fields are not copied into the parsed message', () => {
  const parsed = parseWebviewMessage({ type: 'cancel', id: 1, evil: 'x' }) as unknown as Record<string, unknown>;
  assert.equal('evil' in parsed, false);
});

/** One malformed variant per field: what a buggy or hostile webview might send. */
const MALFORMED: [string, unknown][] = [
  ['null', null], ['number', 42], ['string', 'ready'], ['array', [{ type: 'ready' }]], ['no type', {}],
  ['unknown type', { type: 'explode' }], ['type not a string', { type: 1 }],
  ['request without request', { type: 'request', id: 1 }],
  ['request id negative', { type: 'request', id: -1, request: { kind: 'read', offset: 0, length: 1 } }],
  ['request id fractional', { type: 'request', id: 1.5, request: { kind: 'read', offset: 0, length: 1 } }],
  ['request id string', { type: 'request', id: '1', request: { kind: 'read', offset: 0, length: 1 } }],
  ['unknown request kind', { type: 'request', id: 1, request: { kind: 'delete' } }],
  ['request is array', { type: 'request', id: 1, request: [] }],
  ['read offset NaN', { type: 'request', id: 1, request: { kind: 'read', offset: NaN, length: 1 } }],
  ['read offset Infinity', { type: 'request', id: 1, request: { kind: 'read', offset: Infinity, length: 1 } }],
  ['read offset beyond 2^53', { type: 'request', id: 1, request: { kind: 'read', offset: 2 ** 53, length: 1 } }],
  ['read too long', { type: 'request', id: 1, request: { kind: 'read', offset: 0, length: MAX_READ_LENGTH + 1 } }],
  ['read length bigint', { type: 'request', id: 1, request: { kind: 'read', offset: 0, length: 1n } }],
  ['count length negative', { type: 'request', id: 1, request: { kind: 'count', offset: 0, length: -5 } }],
  ['find empty pattern', { type: 'request', id: 1, request: { kind: 'find', pattern: new Uint8Array(0), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find pattern too long', { type: 'request', id: 1, request: { kind: 'find', pattern: new Uint8Array(MAX_PATTERN_LENGTH + 1), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find pattern as array', { type: 'request', id: 1, request: { kind: 'find', pattern: [1, 2], ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find pattern as ArrayBuffer', { type: 'request', id: 1, request: { kind: 'find', pattern: new ArrayBuffer(2), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find mask length differs', { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), mask: Uint8Array.of(1, 2), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find mask not bytes', { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), mask: 'ff', ignoreCase: false, from: 0, backward: false, maxMatches: 1 } }],
  ['find ignoreCase not boolean', { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), ignoreCase: 1, from: 0, backward: false, maxMatches: 1 } }],
  ['find backward missing', { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), ignoreCase: false, from: 0, maxMatches: 1 } }],
  ['find maxMatches huge', { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), ignoreCase: false, from: 0, backward: false, maxMatches: 1e12 } }],
  ['cancel without id', { type: 'cancel' }],
  ['edit empty bytes', { type: 'edit', offset: 0, bytes: new Uint8Array(0), label: 'x' }],
  ['edit that inserts and deletes nothing', { type: 'edit', offset: 0, bytes: new Uint8Array(0), label: 'x', deleteLength: 0 }],
  ['edit deleteLength negative', { type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'x', deleteLength: -1 }],
  ['edit deleteLength fractional', { type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'x', deleteLength: 1.5 }],
  ['edit deleteLength string', { type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'x', deleteLength: '1' }],
  ['editBatch not an array', { type: 'editBatch', label: 'x', edits: { offset: 0, deleteLength: 1, bytes: Uint8Array.of(1) } }],
  ['editBatch empty', { type: 'editBatch', label: 'x', edits: [] }],
  ['editBatch too many', { type: 'editBatch', label: 'x', edits: new Array(MAX_BATCH_EDITS + 1) }],
  ['editBatch over the byte budget', { type: 'editBatch', label: 'x', edits: Array.from({ length: 5 }, (_, i) => ({ offset: i * 10, deleteLength: 0, bytes: new Uint8Array(MAX_BATCH_BYTES / 4) })) }],
  ['editBatch edit changes nothing', { type: 'editBatch', label: 'x', edits: [{ offset: 0, deleteLength: 0, bytes: new Uint8Array(0) }] }],
  ['editBatch edits overlap', { type: 'editBatch', label: 'x', edits: [{ offset: 0, deleteLength: 4, bytes: Uint8Array.of(1) }, { offset: 3, deleteLength: 1, bytes: Uint8Array.of(1) }] }],
  ['editBatch edits unsorted', { type: 'editBatch', label: 'x', edits: [{ offset: 9, deleteLength: 1, bytes: Uint8Array.of(1) }, { offset: 3, deleteLength: 1, bytes: Uint8Array.of(1) }] }],
  ['editBatch edit not an object', { type: 'editBatch', label: 'x', edits: [7] }],
  ['editBatch deleteLength missing', { type: 'editBatch', label: 'x', edits: [{ offset: 0, bytes: Uint8Array.of(1) }] }],
  ['editBatch label missing', { type: 'editBatch', edits: [{ offset: 0, deleteLength: 1, bytes: Uint8Array.of(1) }] }],
  ['edit too long', { type: 'edit', offset: 0, bytes: new Uint8Array(MAX_EDIT_LENGTH + 1), label: 'x' }],
  ['edit bytes as Uint16Array', { type: 'edit', offset: 0, bytes: new Uint16Array(2), label: 'x' }],
  ['edit label missing', { type: 'edit', offset: 0, bytes: Uint8Array.of(1) }],
  ['edit label too long', { type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'x'.repeat(201) }],
  ['selection pane unknown', { type: 'selection', cursor: 0, anchor: 0, focusedPane: 'ascii' }],
  ['selection cursor negative', { type: 'selection', cursor: -1, anchor: 0, focusedPane: 'hex' }],
  ['notify level unknown', { type: 'notify', level: 'fatal', message: 'x' }],
  ['notify message object', { type: 'notify', level: 'info', message: { toString: () => 'x' } }],
  ['notify message too long', { type: 'notify', level: 'info', message: 'x'.repeat(1001) }],
  ['viewport topOffset string', { type: 'viewport', topOffset: '0' }],
];

for (const [name, raw] of MALFORMED) {
  test(`rejects ${name} with a ProtocolError`, () => {
    assert.throws(() => parseWebviewMessage(raw), ProtocolError);
  });
}

/** Random JSON-ish values, biased towards near-valid messages. */
function randomValue(r: () => number, depth = 0): unknown {
  const pick = randInt(r, depth > 2 ? 9 : 12);
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return [0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 31, 1e300, -0][randInt(r, 10)];
    case 3: return ['', 'ready', 'request', 'find', 'read', 'count', 'hex', 'text', 'info', 'x'.repeat(2000), 'edit', 'editBatch'][randInt(r, 12)];
    case 4: return r() < 0.5;
    case 5: return new Uint8Array(randInt(r, 5));
    case 6: return [new ArrayBuffer(2), new Int8Array(2), new Float64Array(1), new DataView(new ArrayBuffer(1))][randInt(r, 4)];
    case 7: return BigInt(randInt(r, 10));
    case 8: return randInt(r, 100);
    case 9: return Array.from({ length: randInt(r, 3) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ['type', 'id', 'request', 'kind', 'offset', 'length', 'pattern', 'mask', 'ignoreCase', 'from', 'backward',
        'maxMatches', 'bytes', 'label', 'cursor', 'anchor', 'focusedPane', 'level', 'message', 'topOffset', '__proto__', 'constructor'];
      const o: Record<string, unknown> = Object.create(r() < 0.1 ? null : Object.prototype);
      // defineProperty: an own '__proto__' key, as JSON.parse or structured clone would make it.
      for (let k = randInt(r, 8); k > 0; k--) {
        Object.defineProperty(o, keys[randInt(r, keys.length)], { value: randomValue(r, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return o;
    }
  }
}

/** A valid message with one field replaced by a random value. */
function mutate(r: () => number): unknown {
  const base = structuredClone(VALID[randInt(r, VALID.length)]);
  const target = base.request && r() < 0.5 ? (base.request as Record<string, unknown>) : base;
  const keys = Object.keys(target);
  target[keys[randInt(r, keys.length)]] = randomValue(r);
  return base;
}

test('fuzz: 50k random and mutated messages either parse or throw ProtocolError, nothing else', () => {
  const r = rng(0xbadf00d);
  let accepted = 0;
  for (let n = 0; n < 50_000; n++) {
    const raw = r() < 0.5 ? randomValue(r) : mutate(r);
    try {
      const m = parseWebviewMessage(raw);
      accepted++;
      assert.equal(typeof m.type, 'string');
    } catch (e) {
      if (!(e instanceof ProtocolError)) assert.fail(`threw ${String(e)} for ${String(raw)}`);
    }
  }
  assert.ok(accepted > 100, `some mutations stay valid (${accepted})`);
});
