/**
 * The text encodings over a real document (disk bytes with unsaved edits,
 * on every backend): selection counts equal TextDecoder's on the edited
 * bytes, case-insensitive text search in UTF-16 and windows-1252 finds
 * exactly what the decoded text says (native find and the JavaScript one
 * around edits), the whole-file validity agrees with the codecs, and the
 * per-file encoding rule (choice, BOM, setting).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countInDocument, documentTextStats, type CountTuning } from '../../extension/search/countInDocument';
import { findInDocument } from '../../extension/search/findInDocument';
import { textFacts } from '../../extension/inspect/textFacts';
import { EncodingChoices, initialEncoding, type ChoiceMemento } from '../../extension/inspect/encodingChoice';
import { codecFor, countText, emptyTextCounts, newTextUnit, TEXT_ENCODINGS, type TextEncoding } from '../../shared/encodings';
import { compileTextQuery } from '../../shared/encodings/caseFold';
import { ValidityScanner } from '../../shared/encodings/validity';
import { countUtf8, emptyCounts } from '../../shared/utf8';
import { overlaidDocument } from '../support/piecesDocument';
import { MapOverlay } from '../support/mapOverlay';
import { backends } from '../support/inspectBackends';
import { randInt, rng } from '../support/randomUtf8';
import { textSoup } from '../support/randomText';

const OTHERS: TextEncoding[] = ['utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'ascii'];

/** Code points of `bytes` by a decoder that is not ours (TextDecoder; Buffer for ISO-8859-1 and ASCII). */
function decodeOutside(encoding: TextEncoding, bytes: Uint8Array): string {
  // Node 20's TextDecoder reads windows-1252 as ISO-8859-1 and even drops a lone FF
  // (encodings.test.ts says more); counts and line breaks are the same in ISO-8859-1,
  // one byte being one character in both.
  if (encoding === 'iso-8859-1' || encoding === 'windows-1252') return Buffer.from(bytes).toString('latin1');
  if (encoding === 'ascii') return [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join('');
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

/** What TextDecoder says a range of the file holds, UTF-16 units aligned to the file's start. */
function expectedCount(encoding: TextEncoding, doc: Uint8Array, offset: number, length: number) {
  const unit = codecFor(encoding).unitSize;
  const lead = unit === 2 && offset % 2 === 1 && length > 0 ? 1 : 0; // half a unit: one flagged character
  const text = decodeOutside(encoding, doc.subarray(offset + lead, offset + length));
  const breaks = (text.match(/\r\n|\r|\n/g) ?? []).length;
  const lastIsBreak = /[\r\n]$/.test(text) && !(unit === 2 && (offset + length) % 2 === 1);
  return { chars: lead + [...text].length, lines: breaks + (length > 0 && !lastIsBreak ? 1 : 0) };
}

for (const backend of backends) {
  test(`[${backend.name}] selection counts in every encoding equal TextDecoder's, edits applied`, async () => {
    const r = rng(0xe7c + backend.name.length);
    for (const encoding of OTHERS) {
      for (let round = 0; round < 25; round++) {
        const disk = textSoup(encoding, r, randInt(r, 400));
        const src = await backend.open(disk);
        const overlay = new MapOverlay();
        for (let e = randInt(r, 8); e > 0 && disk.length > 0; e--) {
          const at = randInt(r, disk.length);
          overlay.set(at, textSoup(encoding, r, Math.min(disk.length - at, 1 + randInt(r, 9))));
        }
        const doc = overlay.applied(disk);
        const tuning: CountTuning = { jsChunk: 1 + randInt(r, 20), editGap: randInt(r, 40) };
        for (let k = 0; k < 4; k++) {
          const offset = randInt(r, doc.length + 1);
          const length = randInt(r, doc.length - offset + 1);
          const got = await countInDocument(overlaidDocument(src, overlay), offset, length, undefined, tuning, encoding);
          const want = expectedCount(encoding, doc, offset, length);
          const label = `${encoding} round ${round} [${offset}, +${length})`;
          assert.equal(got.bytes, length, label);
          assert.equal(got.chars, want.chars, label);
          // Lines may end in a CR whose LF is cut off by an odd end: compared only where the end is a unit boundary.
          if (codecFor(encoding).unitSize === 1 || (offset + length) % 2 === 0) assert.equal(got.lines, want.lines, label);
          // Every count and the invalid offsets equal one countText pass over the edited bytes, however the range
          // was split between native stretches and JavaScript pieces around the edits.
          const stats = await documentTextStats(overlaidDocument(src, overlay), encoding, { offset, length, maxInvalidOffsets: 1000 }, tuning);
          const ref = emptyTextCounts();
          const refInvalid: number[] = [];
          countText(codecFor(encoding), doc.subarray(offset, offset + length), ref, true, offset, (i) => refInvalid.push(offset + i));
          const { invalidOffsets, bom: _bom, ...counts } = stats;
          assert.deepEqual(counts, ref, label);
          assert.deepEqual(invalidOffsets, refInvalid, label);
        }
        src.close();
      }
    }
  });

  test(`[${backend.name}] ignore-case search in UTF-16LE, UTF-16BE and windows-1252 finds what the decoded text says, edits included`, async () => {
    const r = rng(0x5ea + backend.name.length);
    const alphabets: Partial<Record<TextEncoding, string>> = {
      'utf-16le': 'aAßäÄжЖ䅁 .', 'utf-16be': 'aAßäÄжЖ䅁 .', 'windows-1252': 'aAäÄšŠ×÷ .',
    };
    for (const [encoding, alphabet] of Object.entries(alphabets) as [TextEncoding, string][]) {
      const codec = codecFor(encoding);
      const letters = [...alphabet];
      const pick = (n: number) => Array.from({ length: n }, () => letters[randInt(r, letters.length)]).join('');
      const enc = (t: string) => (codec.encode(t) as { bytes: Uint8Array }).bytes;
      for (let round = 0; round < 12; round++) {
        const disk = enc(pick(3000));
        const src = await backend.open(disk);
        const overlay = new MapOverlay();
        for (let e = 0; e < 5; e++) {
          const at = randInt(r, disk.length / 2) * 2;
          const bytes = enc(pick(3));
          if (at + bytes.length <= disk.length) overlay.set(at, bytes);
        }
        const doc = overlay.applied(disk);
        const query = pick(1 + randInt(r, 3));
        const q = compileTextQuery(codec, query, true);
        assert.ok('pattern' in q);
        const found = await findInDocument(overlaidDocument(src, overlay), { ...q, from: 0, backward: false, maxMatches: 100_000 }, {}, { zoneGap: 4, firstChunk: 256, maxChunk: 1024 });
        const got = found.matches.filter((m) => m % codec.unitSize === 0);
        const want: number[] = [];
        // windows-1252 text is decoded by its codec here (checked against Python's cp1252 in encodings.test.ts).
        const decode = (b: Uint8Array) => (encoding === 'windows-1252' ? decodeByCodec(encoding, b) : decodeOutside(encoding, b));
        for (let p = 0; p + q.pattern.length <= doc.length; p += codec.unitSize) {
          if (decode(doc.subarray(p, p + q.pattern.length)).toLowerCase() === query.toLowerCase()) want.push(p);
        }
        assert.deepEqual(got, want, `${encoding} round ${round}: ${JSON.stringify(query)}`);
        src.close();
      }
    }
  });
}

function decodeByCodec(encoding: TextEncoding, bytes: Uint8Array): string {
  const codec = codecFor(encoding);
  const u = newTextUnit();
  let out = '';
  for (let i = 0; i < bytes.length; i += u.length) out += String.fromCodePoint(codec.decodeUnit(bytes, i, bytes.length, i, u).codePoint);
  return out;
}

/** Valid in `encoding` by our codec, unit by unit. */
function validByCodec(encoding: TextEncoding, bytes: Uint8Array): boolean {
  const codec = codecFor(encoding);
  const u = newTextUnit();
  for (let i = 0; i < bytes.length; i += u.length) if (codec.decodeUnit(bytes, i, bytes.length, i, u).status !== 'valid') return false;
  return true;
}

test('validity in all six encodings: the one-pass scanner and the report agree with the codecs', async () => {
  const r = rng(0x7a1);
  for (let round = 0; round < 400; round++) {
    const encoding = TEXT_ENCODINGS[randInt(r, TEXT_ENCODINGS.length)];
    // Mostly clean text, so "valid" comes up too.
    let bytes = encoding === 'utf-8' ? new TextEncoder().encode('hé😀') : textSoup(encoding, r, randInt(r, 60));
    if (r() < 0.5) bytes = (codecFor(encoding === 'utf-8' ? 'utf-16le' : encoding).encode('Ab ') as { bytes: Uint8Array }).bytes;
    const scanner = new ValidityScanner();
    for (let at = 0; at < bytes.length;) {
      const n = Math.min(bytes.length - at, 2 * (1 + randInt(r, 4)));
      scanner.feed(bytes.subarray(at, at + n));
      at += n;
    }
    const v = scanner.finish();
    for (const e of ['windows-1252', 'utf-16le', 'utf-16be'] as const) assert.equal(v[e], validByCodec(e, bytes), `${e} round ${round}`);
    const utf8 = emptyCounts();
    countUtf8(bytes, utf8, true);
    const doc = { size: bytes.length, readBytes: async (o: number, l: number) => bytes.slice(o, o + l) };
    const facts = await textFacts(doc as never, { ...utf8, invalidOffsets: [], bom: false }, 'utf-8', undefined);
    for (const e of TEXT_ENCODINGS) assert.equal(facts.validIn[e], validByCodec(e, bytes), `${e} (report) round ${round}`);
  }
});

function memento(): ChoiceMemento & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k: string, v: unknown) => { data.set(k, v); } };
}

test('a file opens in its chosen encoding, else its BOM\'s, else the setting; a choice is remembered and announced', async () => {
  assert.deepEqual(initialEncoding(undefined, undefined, 'utf-8'), { encoding: 'utf-8', source: 'setting' });
  assert.deepEqual(initialEncoding(undefined, 'utf-16le', 'utf-8'), { encoding: 'utf-16le', source: 'bom', bom: 'utf-16le' });
  assert.deepEqual(initialEncoding('windows-1252', 'utf-16le', 'utf-8'), { encoding: 'windows-1252', source: 'chosen', bom: 'utf-16le' });
  let setting: TextEncoding = 'utf-8';
  const m = memento();
  const choices = new EncodingChoices(m, () => setting);
  assert.equal(choices.open('file:///a', Uint8Array.of(0xfe, 0xff, 0)).encoding, 'utf-16be');
  assert.equal(choices.open('file:///b', Uint8Array.of(0x41)).source, 'setting');
  const heard: string[] = [];
  choices.onDidChange((file, s) => heard.push(`${file}=${s.encoding}`));
  await choices.choose('file:///a', 'ascii');
  setting = 'iso-8859-1';
  choices.settingChanged();
  assert.deepEqual(heard, ['file:///a=ascii', 'file:///b=iso-8859-1']);
  // A new session (same memento): the choice wins over the BOM.
  const again = new EncodingChoices(m, () => setting);
  assert.deepEqual(again.open('file:///a', Uint8Array.of(0xfe, 0xff)), { encoding: 'ascii', source: 'chosen', bom: 'utf-16be' });
  assert.equal(again.current('file:///zzz').encoding, 'iso-8859-1');
});
