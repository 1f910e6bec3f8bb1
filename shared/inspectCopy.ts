/**
 * "Copy As" formats for a selection of bytes. Pure (browser and Node), so the
 * tests check every format by reading it back.
 */

export type CopyFormat = 'hex' | 'c' | 'base64' | 'utf8' | 'json';

export const COPY_FORMATS: { format: CopyFormat; label: string; detail: string }[] = [
  { format: 'hex', label: 'Hex', detail: '48 65 6C 6C 6F' },
  { format: 'c', label: 'C array', detail: 'const unsigned char data[] = { 0x48, 0x65, … };' },
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

export function formatBytes(bytes: Uint8Array, format: CopyFormat): string {
  switch (format) {
    case 'hex': return joined(bytes, (b) => HEX[b], ' ');
    case 'c': {
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += PER_LINE) {
        lines.push(`  ${joined(bytes.subarray(i, i + PER_LINE), (b) => `0x${HEX[b].toLowerCase()}`, ', ')},`);
      }
      return `const unsigned char data[${bytes.length}] = {\n${lines.join('\n')}\n};\n`;
    }
    case 'base64': return base64(bytes);
    case 'utf8': return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    case 'json': {
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += PER_LINE) lines.push(`  ${joined(bytes.subarray(i, i + PER_LINE), String, ', ')}`);
      return bytes.length ? `[\n${lines.join(',\n')}\n]` : '[]';
    }
  }
}

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
