/**
 * The hashes and checksums "Hexmap: Compute Hash…" offers, in the order it
 * lists them. Every digest is shown as lowercase hex, most significant byte
 * first (CRC-32 of "123456789" is cbf43926), as `sha256sum`, `crc32` and
 * zlib print them.
 */

export type HashAlgorithm = 'crc32' | 'adler32' | 'md5' | 'sha1' | 'sha256';

export const HASH_ALGORITHMS: readonly { id: HashAlgorithm; label: string; detail: string }[] = [
  { id: 'crc32', label: 'CRC-32', detail: 'zlib / PNG / ZIP checksum' },
  { id: 'adler32', label: 'Adler-32', detail: 'zlib stream checksum' },
  { id: 'md5', label: 'MD5', detail: '128-bit, not collision resistant' },
  { id: 'sha1', label: 'SHA-1', detail: '160-bit, not collision resistant' },
  { id: 'sha256', label: 'SHA-256', detail: '256-bit' },
];

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return HASH_ALGORITHMS.some((a) => a.id === value);
}

export function algorithmLabel(id: HashAlgorithm): string {
  return HASH_ALGORITHMS.find((a) => a.id === id)!.label;
}
