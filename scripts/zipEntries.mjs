// Lists the entries of a zip file (a VSIX is one) from its central directory: enough to check what a VSIX
// ships, without an unzip tool or a dependency. Handles zip64 end records; not a general extractor.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** @returns {{ name: string, size: number, compressedSize: number, method: number, localHeader: number }[]} */
export function zipEntries(path) {
  const buf = readFileSync(path);
  // The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (offset === 0xffffffff || count === 0xffff) {
    const locator = eocd - 20;
    if (buf.readUInt32LE(locator) !== 0x07064b50) throw new Error(`${path}: broken zip64 locator`);
    const z64 = Number(buf.readBigUInt64LE(locator + 8));
    count = Number(buf.readBigUInt64LE(z64 + 32));
    offset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const method = buf.readUInt16LE(offset + 10);
    const localHeader = buf.readUInt32LE(offset + 42);
    entries.push({ name: buf.toString('utf8', offset + 46, offset + 46 + nameLength), size, compressedSize, method, localHeader });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of entry `name` (stored or deflated), or undefined when the zip has no such entry. */
export function readZipEntry(path, name) {
  const entry = zipEntries(path).find((e) => e.name === name);
  if (!entry) return undefined;
  const buf = readFileSync(path);
  const at = entry.localHeader;
  if (buf.readUInt32LE(at) !== 0x04034b50) throw new Error(`${path}: bad local header for ${name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${path}: ${name} uses compression method ${entry.method}`);
}
