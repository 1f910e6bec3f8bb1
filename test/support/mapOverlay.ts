/**
 * Overwrite edits as a byte-per-entry map, written the obvious way: the
 * search tests lay it over a file (overlaidDocument in piecesDocument.ts)
 * and compare scans with a plain scan of `applied`.
 */
export class MapOverlay {
  private readonly bytes = new Map<number, number>();

  set(offset: number, data: Uint8Array): void {
    data.forEach((b, i) => this.bytes.set(offset + i, b));
  }

  runs(offset = 0, length = Infinity): { offset: number; bytes: Uint8Array }[] {
    const keys = [...this.bytes.keys()].filter((k) => k >= offset && k < offset + length).sort((a, b) => a - b);
    const runs: { offset: number; bytes: number[] }[] = [];
    for (const k of keys) {
      const last = runs[runs.length - 1];
      if (last && last.offset + last.bytes.length === k) last.bytes.push(this.bytes.get(k)!);
      else runs.push({ offset: k, bytes: [this.bytes.get(k)!] });
    }
    return runs.map((r) => ({ offset: r.offset, bytes: Uint8Array.from(r.bytes) }));
  }

  applyTo(offset: number, target: Uint8Array): void {
    for (const [k, b] of this.bytes) if (k >= offset && k < offset + target.length) target[k - offset] = b;
  }

  /** The whole document with edits applied (tests only: small files). */
  applied(disk: Uint8Array): Uint8Array {
    const out = disk.slice();
    this.applyTo(0, out);
    return out;
  }
}
