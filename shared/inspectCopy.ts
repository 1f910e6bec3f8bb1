/**
 * "Copy As" formats for a selection of bytes. Pure (browser and Node), so the
 * tests check every format by reading it back (with the real hexdump,
 * python3, rustc and javac where they are installed).
 */

export type CopyFormat = 'hex' | 'hexdump' | 'c' | 'python' | 'rust' | 'go' | 'java' | 'base64' | 'utf8' | 'json';

export const COPY_FORMATS: { format: CopyFormat; label: string; detail: string }[] = [
  { format: 'hex', label: 'Hex', detail: '48 65 6C 6C 6F' },
  { format: 'hexdump', label: 'hexdump -C', detail: '00001000  48 65 6c 6c 6f  |Hello|  (with file offsets)' },
  { format: 'c', label: 'C array', detail: 'const unsigned char data[] = { 0x48, 0x65, … };' },
  { format: 'python', label: 'Python bytes', detail: "data = b'Hello\\x00'" },
  { format: 'rust', label: 'Rust array', detail: 'const DATA: [u8; 5] = [0x48, 0x65, …];' },
  { format: 'go', label: 'Go slice', detail: 'var data = []byte{0x48, 0x65, …}' },
  { format: 'java', label: 'Java array', detail: 'byte[] data = { 0x48, (byte) 0xe9, … };' },
  { format: 'base64', label: 'Base64', detail: 'SGVsbG8=' },
  { format: 'utf8', label: 'UTF-8 text', detail: 'Hello (invalid sequences become U+FFFD)' },
  { format: 'json', label: 'JSON array', detail: '[72, 101, 108, 108, 111]' },
];

/**
 * Largest selection copied: formatting runs in the extension host, and hex or
 * a C array of 16 MiB is already a ~100 MB string for the clipboard.
 */
export const MAX_COPY_BYTES = 16 << 20;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PER_LINE = 16;

/** `bytes` as `format`; `offset` is the file offset of bytes[0] (hexdump -C prints it). */
export function formatBytes(bytes: Uint8Array, format: CopyFormat, offset = 0): string {
  const hexLower = (b: number) => `0x${HEX[b].toLowerCase()}`;
  switch (format) {
    case 'hex': return joined(bytes, (b) => HEX[b], ' ');
    case 'hexdump': return hexdumpC(bytes, offset);
    case 'c': return `const unsigned char data[${bytes.length}] = {\n${arrayLines(bytes, hexLower, '  ')}\n};\n`;
    case 'python': return pythonBytes(bytes);
    case 'rust': return bytes.length ? `const DATA: [u8; ${bytes.length}] = [\n${arrayLines(bytes, hexLower, '    ')}\n];\n` : 'const DATA: [u8; 0] = [];\n';
    case 'go': return bytes.length ? `var data = []byte{\n${arrayLines(bytes, hexLower, '\t')}\n}\n` : 'var data = []byte{}\n';
    // Java's byte is signed: 0x80..0xFF need a cast (the bits are kept).
    case 'java': return bytes.length ? `byte[] data = {\n${arrayLines(bytes, (b) => (b < 0x80 ? hexLower(b) : `(byte) ${hexLower(b)}`), '    ')}\n};\n` : 'byte[] data = {};\n';
    case 'base64': return base64(bytes);
    case 'utf8': return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    case 'json': {
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += PER_LINE) lines.push(`  ${joined(bytes.subarray(i, i + PER_LINE), String, ', ')}`);
      return bytes.length ? `[\n${lines.join(',\n')}\n]` : '[]';
    }
  }
}

/** 16 elements a line, each line indented and ending in a comma (every language here allows the trailing one). */
function arrayLines(bytes: Uint8Array, each: (b: number) => string, indent: string): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += PER_LINE) lines.push(`${indent}${joined(bytes.subarray(i, i + PER_LINE), each, ', ')},`);
  return lines.join('\n');
}

/**
 * Exactly what `hexdump -C -s <offset>` prints for these bytes: 8-digit hex
 * offsets (more digits past 4 GiB), 16 bytes a line in two groups of 8, the
 * printable ASCII between bars, a line equal to the one before it squeezed
 * into "*", and the end offset on a line of its own. Nothing for no bytes.
 */
export function hexdumpC(bytes: Uint8Array, offset = 0): string {
  if (bytes.length === 0) return '';
  const off = (n: number) => n.toString(16).padStart(8, '0');
  const out: string[] = [];
  let squeezing = false;
  for (let i = 0; i < bytes.length; i += PER_LINE) {
    const line = bytes.subarray(i, i + PER_LINE);
    if (i > 0 && line.length === PER_LINE && sameBytes(line, bytes.subarray(i - PER_LINE, i))) {
      if (!squeezing) out.push('*');
      squeezing = true;
      continue;
    }
    squeezing = false;
    let hex = '';
    let ascii = '';
    for (let k = 0; k < line.length; k++) {
      hex += `${HEX[line[k]].toLowerCase()} ${k === 7 ? ' ' : ''}`;
      ascii += line[k] >= 0x20 && line[k] < 0x7f ? String.fromCharCode(line[k]) : '.';
    }
    out.push(`${off(offset + i)}  ${hex.padEnd(3 * PER_LINE + 1)} |${ascii}|`);
  }
  out.push(off(offset + bytes.length));
  return `${out.join('\n')}\n`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A Python bytes literal, escaped as Python's own repr() escapes: printable
 * ASCII as itself, \\ \' \t \n \r, everything else \xhh. Longer than one
 * line's worth, it becomes adjacent literals in parentheses (Python joins them).
 */
function pythonBytes(bytes: Uint8Array): string {
  const PY_LINE = 32;
  const literal = (part: Uint8Array) => {
    let s = "b'";
    for (const b of part) s += PY_ESCAPES[b];
    return `${s}'`;
  };
  if (bytes.length <= PY_LINE) return `data = ${literal(bytes)}\n`;
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += PY_LINE) lines.push(`    ${literal(bytes.subarray(i, i + PY_LINE))}`);
  return `data = (\n${lines.join('\n')}\n)\n`;
}

const PY_ESCAPES = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x5c) return '\\\\';
  if (b === 0x27) return "\\'";
  if (b === 0x09) return '\\t';
  if (b === 0x0a) return '\\n';
  if (b === 0x0d) return '\\r';
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
});

/** Joins in pieces: one giant array of small strings costs far more memory than this. */
function joined(bytes: Uint8Array, each: (b: number) => string, sep: string): string {
  const parts: string[] = [];
  const piece: string[] = new Array(Math.min(bytes.length, 65536));
  for (let i = 0; i < bytes.length; i += 65536) {
    const n = Math.min(65536, bytes.length - i);
    piece.length = n;
    for (let k = 0; k < n; k++) piece[k] = each(bytes[i + k]);
    parts.push(piece.join(sep));
  }
  return parts.join(sep);
}

export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    chunk.push(B64[n >> 18], B64[(n >> 12) & 63], i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=', i + 2 < bytes.length ? B64[n & 63] : '=');
    if (chunk.length >= 65536) { parts.push(chunk.join('')); chunk.length = 0; }
  }
  parts.push(chunk.join(''));
  return parts.join('');
}
