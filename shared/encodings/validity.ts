/**
 * In which encodings a whole byte stream is valid, decided in one pass that
 * stops looking at an encoding as soon as it is ruled out. UTF-8 and ASCII
 * come from the UTF-8 statistics (no invalid unit; every byte below 80);
 * ISO-8859-1 defines every byte, so every file is valid in it. This scanner
 * decides the other three: windows-1252 (none of its five undefined bytes),
 * UTF-16LE and UTF-16BE (an even length, every surrogate paired), exactly as
 * their codecs flag units.
 */
import { CP1252_UNDEFINED } from './singleByte';

const UNDEFINED_1252 = new Uint8Array(256);
for (const b of CP1252_UNDEFINED) UNDEFINED_1252[b] = 1;

/** One UTF-16 byte order's state: still valid, and whether the last unit was a high surrogate. */
class Utf16Check {
  valid = true;
  private pendingHigh = false;
  /** The high byte's index within a unit: 1 for little-endian, 0 for big-endian. */
  constructor(private readonly highIndex: 0 | 1) {}

  /** `bytes` start at an even offset and hold whole units (an odd last byte is left to `finish`). */
  feed(bytes: Uint8Array): void {
    if (!this.valid) return;
    let pending = this.pendingHigh;
    const h = this.highIndex;
    const end = bytes.length & ~1;
    for (let i = h; i < end; i += 2) {
      const hi = bytes[i];
      if ((hi & 0xf8) !== 0xd8) {
        if (pending) { this.valid = false; return; }
        continue;
      }
      const low = (hi & 0x04) !== 0;
      if (low !== pending) { this.valid = false; return; } // a low one alone, or a high one after a high one
      pending = !low;
    }
    this.pendingHigh = pending;
  }

  finish(oddLength: boolean): void {
    if (oddLength || this.pendingHigh) this.valid = false;
  }
}

export class ValidityScanner {
  windows1252 = true;
  private readonly le = new Utf16Check(1);
  private readonly be = new Utf16Check(0);
  private total = 0;

  /** True once every encoding this decides is ruled out: the rest of the data cannot change the answer. */
  get decided(): boolean {
    return !this.windows1252 && !this.le.valid && !this.be.valid;
  }

  /** The next bytes of the stream; every chunk but the last must have an even length. */
  feed(bytes: Uint8Array): void {
    if (this.total % 2 !== 0) throw new RangeError('ValidityScanner: only the last chunk may have an odd length');
    this.total += bytes.length;
    if (this.windows1252) {
      for (let i = 0; i < bytes.length; i++) if (UNDEFINED_1252[bytes[i]]) { this.windows1252 = false; break; }
    }
    this.le.feed(bytes);
    this.be.feed(bytes);
  }

  /** Call once after the last chunk. */
  finish(): { 'windows-1252': boolean; 'utf-16le': boolean; 'utf-16be': boolean } {
    const odd = this.total % 2 !== 0;
    this.le.finish(odd);
    this.be.finish(odd);
    return { 'windows-1252': this.windows1252, 'utf-16le': this.le.valid, 'utf-16be': this.be.valid };
  }
}
