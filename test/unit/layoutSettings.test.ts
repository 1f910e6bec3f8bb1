/**
 * The layout's pure parts, in plain Node: settings as typed into
 * settings.json read into one checked layout; each cell format's text for
 * every byte checked against parsing it back; the geometry's hit-testing
 * (every x of every column maps back to it, at every bytes-per-row, group
 * size and format) and fit to width (the widest whole-group layout that
 * fits, and no wider one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CELL_FORMATS, GROUP_SIZES, type LayoutSettings } from '../../shared/protocol';
import { describeLayout, fixedBytesPerRow, parseBytesPerRow, readLayout } from '../../extension/editor/layoutSettings';
import { cellDigits, cellTexts, columnLabel, formatAddress, parseCellDigit, withDigit } from '../../webview/editor/layout';
import { Geometry } from '../../webview/editor/geometry';

test('settings are read into a checked layout: clamped, defaulted, "fit" kept', () => {
  const read = (values: Record<string, unknown>) => readLayout((k) => values[k]);
  assert.deepEqual(read({}), { bytesPerRow: 16, groupSize: 8, cellFormat: 'hex' });
  assert.deepEqual(read({ bytesPerRow: 7, groupSize: 2, cellFormat: 'binary' }), { bytesPerRow: 7, groupSize: 2, cellFormat: 'binary' });
  assert.equal(read({ bytesPerRow: 'fit' }).bytesPerRow, 'fit');
  assert.equal(read({ bytesPerRow: 0 }).bytesPerRow, 1);
  assert.equal(read({ bytesPerRow: 1000 }).bytesPerRow, 64);
  assert.equal(read({ bytesPerRow: 12.6 }).bytesPerRow, 13);
  assert.equal(read({ bytesPerRow: '24' }).bytesPerRow, 24);
  assert.equal(read({ bytesPerRow: 'wide' }).bytesPerRow, 16);
  assert.equal(read({ bytesPerRow: null }).bytesPerRow, 16);
  assert.equal(read({ groupSize: 3 }).groupSize, 8);
  assert.equal(read({ groupSize: '4' }).groupSize, 8, 'only the numbers the schema allows');
  assert.equal(read({ cellFormat: 'HEX' }).cellFormat, 'hex');
  assert.equal(parseBytesPerRow(' 5 '), 5);
  assert.equal(fixedBytesPerRow({ bytesPerRow: 'fit', groupSize: 8, cellFormat: 'hex' }), 16);
  assert.equal(describeLayout({ bytesPerRow: 1, groupSize: 1, cellFormat: 'octal' }), '1 byte per row, no groups, Octal (000–377)');
});

test('each cell format writes every byte at a fixed width, and the text reads back as the byte', () => {
  const radix = { hex: 16, hexLower: 16, decimal: 10, octal: 8, binary: 2 } as const;
  for (const format of CELL_FORMATS) {
    const texts = cellTexts(format);
    assert.equal(texts.length, 256);
    for (let b = 0; b < 256; b++) {
      assert.equal(texts[b].length, cellDigits(format), `${format} ${b}`);
      assert.equal(parseInt(texts[b], radix[format]), b, `${format} ${b}: ${texts[b]}`);
    }
  }
  assert.deepEqual([0xab, 0x0f].map((b) => cellTexts('hex')[b]), ['AB', '0F']);
  assert.deepEqual([0xab, 0x0f].map((b) => cellTexts('hexLower')[b]), ['ab', '0f']);
  assert.deepEqual([cellTexts('decimal')[7], cellTexts('octal')[255], cellTexts('binary')[5]], ['007', '377', '00000101']);
  assert.equal(formatAddress(0xabc, 8, 'hexLower'), '00000abc');
  assert.equal(formatAddress(0xabc, 8, 'decimal'), '00000ABC', 'addresses stay hex');
  assert.deepEqual([columnLabel(10, 'hex'), columnLabel(63, 'hexLower'), columnLabel(5, 'binary')], ['0A', '3f', '05']);
});

test('typing a digit sets that digit of the cell text; past 255 the digits after it become 0, or it is refused', () => {
  for (const format of CELL_FORMATS) {
    const texts = cellTexts(format);
    const radix = format === 'decimal' ? 10 : format === 'octal' ? 8 : format === 'binary' ? 2 : 16;
    for (let value = 0; value < 256; value++) {
      for (let position = 0; position < cellDigits(format); position++) {
        for (let digit = 0; digit < radix; digit++) {
          // The expected value from the text itself: replace one character, read it back.
          // Too big: the digits after it become 0; still too big: refused.
          const text = texts[value].slice(0, position) + digit.toString(radix) + texts[value].slice(position + 1);
          const cleared = texts[value].slice(0, position) + digit.toString(radix) + '0'.repeat(texts[value].length - position - 1);
          const expected = parseInt(text, radix) <= 255 ? parseInt(text, radix) : parseInt(cleared, radix) <= 255 ? parseInt(cleared, radix) : undefined;
          assert.equal(withDigit(value, position, digit, format), expected, `${format} ${texts[value]} digit ${position} := ${digit}`);
          if (format !== 'decimal' && !(format === 'octal' && position === 0 && digit > 3)) assert.notEqual(expected, undefined, `${format}: the digit fits`);
        }
      }
    }
  }
  assert.deepEqual(['7', 'f', 'F', 'g'].map((k) => parseCellDigit(k, 'hex')), [7, 15, 15, undefined]);
  assert.deepEqual(['9', 'a'].map((k) => parseCellDigit(k, 'decimal')), [9, undefined]);
  assert.deepEqual(['7', '8'].map((k) => parseCellDigit(k, 'octal')), [7, undefined]);
  assert.deepEqual(['1', '2', 'Enter'].map((k) => parseCellDigit(k, 'binary')), [1, undefined, undefined]);
});

test('hit-testing: every x inside a column maps back to it, at every layout; gaps belong to the cell before', () => {
  const g = new Geometry();
  for (const format of CELL_FORMATS) {
    for (const groupSize of GROUP_SIZES) {
      for (let bpr = 1; bpr <= 64; bpr++) {
        g.set(7.8, 20, bpr, 8, { groupSize, cellFormat: format });
        for (let c = 0; c < bpr; c++) {
          for (const f of [0.01, 0.5, 0.99]) {
            assert.deepEqual(g.columnAt(g.hexX(c) + f * g.hexCellWidth), { pane: 'hex', col: c }, `${format} g${groupSize} ${bpr}/row hex ${c} at ${f}`);
            assert.deepEqual(g.columnAt(g.textX(c) + f * g.textCellWidth), { pane: 'text', col: c }, `${format} g${groupSize} ${bpr}/row text ${c}`);
          }
          if (c + 1 < bpr && (c + 1) % groupSize === 0 && groupSize > 1) {
            assert.deepEqual(g.columnAt(g.hexX(c + 1) - 0.1), { pane: 'hex', col: c }, 'a group gap belongs to the cell before it');
          }
        }
        assert.equal(g.columnAt(g.hexStart - 1), undefined, 'the address column is no cell');
      }
    }
  }
});

test('fit to width: the most bytes whose columns fit, in whole groups, never fewer than 1', () => {
  const g = new Geometry();
  const endOf = (bpr: number, l: Pick<LayoutSettings, 'groupSize' | 'cellFormat'>): number => {
    const h = new Geometry();
    h.set(g.ch, 20, bpr, 8, l);
    return h.textEnd + h.ch;
  };
  for (const cellFormat of CELL_FORMATS) {
    for (const groupSize of GROUP_SIZES) {
      g.set(8, 20, 16, 8, { groupSize, cellFormat });
      for (let width = 0; width <= 3000; width += 37) {
        const n = g.fitBytesPerRow(width, 64, 14);
        const where = `${cellFormat} g${groupSize} width ${width}: ${n}`;
        assert.ok(n >= 1 && n <= 64, where);
        const fits = (k: number) => endOf(k, { groupSize, cellFormat }) + 14 <= width;
        if (!fits(1)) { assert.equal(n, 1, `${where}: nothing fits, one byte is shown anyway`); continue; }
        assert.ok(fits(n), `${where} fits`);
        if (fits(groupSize)) {
          assert.equal(n % groupSize, 0, `${where} is whole groups`);
          assert.ok(n + groupSize > 64 || !fits(n + groupSize), `${where}: one more group would fit too`);
        } else {
          assert.ok(n < groupSize && !fits(n + 1), `${where}: one more byte would fit`);
        }
      }
    }
  }
});
