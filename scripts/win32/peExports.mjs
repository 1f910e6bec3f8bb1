// The names a Windows executable (PE32+) exports, read straight from its export directory.
//
// Why not a tool: gendef is not part of Debian's mingw-w64 package, and `objdump -p` prints the table in a
// format meant for people. The layout is small and fixed (Microsoft PE/COFF specification): the DOS header
// points at the PE header, whose optional header's first data directory is the export table; its name
// pointer table holds the RVA of each exported name, and RVAs map to file offsets through the section table.
import { readFileSync } from 'node:fs';

export function peExportNames(file) {
  const b = readFileSync(file);
  const fail = (why) => { throw new Error(`${file}: ${why}`); };
  if (b.readUInt16LE(0) !== 0x5a4d) fail('not an MZ executable');
  const pe = b.readUInt32LE(0x3c);
  if (b.readUInt32LE(pe) !== 0x00004550) fail('no PE signature');
  const coff = pe + 4;
  const sectionCount = b.readUInt16LE(coff + 2);
  const optionalSize = b.readUInt16LE(coff + 16);
  const optional = coff + 20;
  if (b.readUInt16LE(optional) !== 0x20b) fail('not PE32+ (64-bit)');
  const exportRva = b.readUInt32LE(optional + 112); // data directory 0 of a PE32+ optional header
  if (exportRva === 0) return [];

  const sections = [];
  for (let i = 0, s = optional + optionalSize; i < sectionCount; i++, s += 40) {
    sections.push({ rva: b.readUInt32LE(s + 12), size: Math.max(b.readUInt32LE(s + 8), b.readUInt32LE(s + 16)), raw: b.readUInt32LE(s + 20) });
  }
  const offset = (rva) => {
    const s = sections.find((x) => rva >= x.rva && rva < x.rva + x.size);
    if (!s) fail(`RVA 0x${rva.toString(16)} lies in no section`);
    return rva - s.rva + s.raw;
  };
  const dir = offset(exportRva);
  const nameCount = b.readUInt32LE(dir + 24);
  const namesAt = offset(b.readUInt32LE(dir + 32));
  const names = [];
  for (let i = 0; i < nameCount; i++) {
    const at = offset(b.readUInt32LE(namesAt + 4 * i));
    names.push(b.toString('latin1', at, b.indexOf(0, at)));
  }
  return names;
}
