/**
 * The native text scans (native/textScans.cc through MappedSource.textStats
 * and nativeTextStats) against shared/encodings' countText, their twin: on
 * fuzzed files at every kind of range (odd starts that cut a UTF-16 unit,
 * odd ends), across the scan's 8 MiB steps (a surrogate pair and a CRLF
 * astride a step edge), and with stopAtInvalid; and the encoding report's
 * facts the same whether computed natively or in JavaScript.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecFor, countText, emptyTextCounts, TEXT_ENCODINGS, type TextEncoding } from '../../shared/encodings';
import { nativeTextStats } from '../../extension/search/nativeTextStats';
import { textFacts } from '../../extension/inspect/textFacts';
import { overlaidDocument } from '../support/piecesDocument';
import { MapOverlay } from '../support/mapOverlay';
import { backends, mappedMissing } from '../support/inspectBackends';
import { randInt, rng } from '../support/randomUtf8';
import { textSoup } from '../support/randomText';
import { countUtf8, emptyCounts } from '../../shared/utf8';

const mapped = backends.find((b) => b.name === 'mapped');
const OTHERS: TextEncoding[] = ['utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'ascii'];

/** countText over the range, with the invalid offsets: what the native scan must say. */
function byCountText(encoding: TextEncoding, bytes: Uint8Array, offset: number, length: number) {
  const counts = emptyTextCounts();
  const invalidOffsets: number[] = [];
  countText(codecFor(encoding), bytes.subarray(offset, offset + length), counts, true, offset, (i) => invalidOffsets.push(offset + i));
  return { ...counts, invalidOffsets };
}

test('native text scans equal countText on fuzzed ranges', { skip: mappedMissing }, async () => {
  const r = rng(0x7e57);
  for (const encoding of OTHERS) {
    for (let round = 0; round < 30; round++) {
      const bytes = textSoup(encoding, r, 1 + randInt(r, 500));
      const src = await mapped!.open(bytes);
      const doc = overlaidDocument(src, new MapOverlay());
      for (let k = 0; k < 6; k++) {
        const offset = randInt(r, bytes.length);
        const length = 1 + randInt(r, bytes.length - offset);
        const got = await nativeTextStats(doc, encoding, offset, length, { maxInvalidOffsets: 1000 });
        assert.ok(got, 'the mapped backend scans natively');
        const { bom: _bom, ...counts } = got;
        assert.deepEqual(counts, byCountText(encoding, bytes, offset, length), `${encoding} round ${round} [${offset}, +${length})`);
      }
      const stop = await nativeTextStats(doc, encoding, 0, bytes.length, { maxInvalidOffsets: 1, stopAtInvalid: true });
      const whole = byCountText(encoding, bytes, 0, bytes.length);
      assert.equal(stop!.invalid > 0, whole.invalid > 0, `${encoding} round ${round}: stopAtInvalid says whether any is invalid`);
      assert.deepEqual(stop!.invalidOffsets, whole.invalidOffsets.slice(0, 1));
      src.close();
    }
  }
});

test('native text scans across 8 MiB step edges: a pair and a CRLF astride one', { skip: mappedMissing }, async () => {
  const STEP = 8 << 20;
  const bytes = new Uint8Array(STEP + 4096).fill(0x41);
  bytes.set([0x3d, 0xd8, 0x00, 0xde], STEP - 2); // U+1F600 in UTF-16LE, cut by the step edge
  bytes.set([0x0d, 0x0a], STEP - 1 - 4096); // single-byte: CR at an odd place
  bytes.set([0x0d, 0x00, 0x0a, 0x00], STEP - 2 - 8192); // UTF-16LE CRLF
  bytes[STEP - 1 + 100] = 0x0d; bytes[STEP + 100] = 0x0a;
  const src = await mapped!.open(bytes);
  try {
    const doc = overlaidDocument(src, new MapOverlay());
    for (const encoding of OTHERS) {
      const got = await nativeTextStats(doc, encoding, 0, bytes.length, { maxInvalidOffsets: 1000 });
      const { bom: _bom, ...counts } = got!;
      assert.deepEqual(counts, byCountText(encoding, bytes, 0, bytes.length), encoding);
    }
    const le = await nativeTextStats(doc, 'utf-16le', 0, bytes.length, { maxInvalidOffsets: 10 });
    assert.equal(le!.supplementary, 1);
  } finally {
    src.close();
  }
});

test('the report\'s facts are the same natively and in JavaScript', { skip: mappedMissing }, async () => {
  const r = rng(0xfac7);
  for (let round = 0; round < 40; round++) {
    const encoding = TEXT_ENCODINGS[randInt(r, TEXT_ENCODINGS.length)];
    const bytes = r() < 0.4 ? (codecFor(encoding === 'utf-8' ? 'utf-16be' : encoding).encode(encoding === 'ascii' ? 'Hello' : 'Hello, wörld') as { bytes: Uint8Array }).bytes
      : textSoup(encoding, r, 1 + randInt(r, 300));
    const src = await mapped!.open(bytes);
    const utf8 = emptyCounts();
    countUtf8(bytes, utf8, true);
    const stats = { ...utf8, invalidOffsets: [], bom: false };
    const nativeDoc = overlaidDocument(src, new MapOverlay());
    const jsDoc = { size: bytes.length, readBytes: async (o: number, l: number) => bytes.slice(o, o + l) };
    const a = await textFacts(nativeDoc, stats, encoding, undefined);
    const b = await textFacts(jsDoc, stats, encoding, undefined);
    assert.deepEqual(a, b, `${encoding} round ${round}`);
    src.close();
  }
});

test('the report\'s facts over a document with unsaved edits are those of its edited bytes', { skip: mappedMissing }, async () => {
  const r = rng(0xed17);
  for (let round = 0; round < 30; round++) {
    const encoding = TEXT_ENCODINGS[randInt(r, TEXT_ENCODINGS.length)];
    const disk = textSoup(encoding === 'utf-8' ? 'utf-16le' : encoding, r, 2 + randInt(r, 300));
    const src = await mapped!.open(disk);
    const overlay = new MapOverlay();
    for (let e = 1 + randInt(r, 4); e > 0; e--) {
      const at = randInt(r, disk.length);
      overlay.set(at, textSoup(encoding === 'utf-8' ? 'utf-16le' : encoding, r, Math.min(disk.length - at, 1 + randInt(r, 6))));
    }
    const bytes = overlay.applied(disk);
    const utf8 = emptyCounts();
    countUtf8(bytes, utf8, true);
    const stats = { ...utf8, invalidOffsets: [], bom: false };
    const edited = await textFacts(overlaidDocument(src, overlay), stats, encoding, undefined);
    const plain = await textFacts({ size: bytes.length, readBytes: async (o: number, l: number) => bytes.slice(o, o + l) }, stats, encoding, undefined);
    assert.deepEqual(edited, plain, `${encoding} round ${round}`);
    src.close();
  }
});
