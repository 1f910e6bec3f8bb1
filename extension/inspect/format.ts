/** Small number formatting shared by the status bar, the report and messages. */

export const decimal = (n: number): string => n.toLocaleString('en-US');

export const hexOffset = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** "1.5 GiB"; exact byte counts go in tooltips. */
export function humanBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n} ${n === 1 ? 'byte' : 'bytes'}` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export const plural = (n: number, word: string): string => `${decimal(n)} ${word}${n === 1 ? '' : 's'}`;
