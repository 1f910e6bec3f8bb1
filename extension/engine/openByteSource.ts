/**
 * The one entry point for opening a file: picks the mapped backend when the
 * native addon loads and the plain-read backend otherwise ('auto'), or the
 * backend a caller (a test, a benchmark) names. With 'auto', a file that
 * opens but cannot be mapped (a FUSE or network mount without mmap, ENOMEM,
 * vm.max_map_count) is served by plain reads, with a notice saying so.
 */
import { ByteSource } from './byteSource';
import { FileSource } from './fileSource';
import { MapFailedError, MappedSource } from './mappedSource';
import { loadNativeAddon } from './nativeAddon';

export interface OpenByteSourceOptions {
  /** Ask for write access (default true). The source is read-only when the file is not writable. */
  writable?: boolean;
  backend?: 'auto' | 'mapped' | 'file';
  /**
   * Test seam: the mapped backend's mmap step fails (ENODEV) as on a file system without mmap.
   * Also set by HEXMAP_FAIL_MMAP=1, for tests of the whole extension.
   */
  failMmap?: boolean;
}

export async function openByteSource(path: string, opts: OpenByteSourceOptions = {}): Promise<ByteSource> {
  const backend = opts.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'mapped' && backend !== 'file') {
    throw new TypeError(`backend must be 'auto', 'mapped' or 'file', got ${String(backend)}`);
  }
  if (opts.writable !== undefined && typeof opts.writable !== 'boolean') throw new TypeError('writable must be a boolean');
  const writable = opts.writable ?? true;
  if (backend === 'file') return FileSource.open(path, { writable });
  const { addon, error } = loadNativeAddon();
  if (!addon) {
    if (backend === 'mapped') throw new Error(`Hexmap: the native addon is not available: ${error}`);
    return FileSource.open(path, { writable });
  }
  const failMmap = opts.failMmap === true || process.env.HEXMAP_FAIL_MMAP === '1';
  try {
    return await MappedSource.open(addon, path, { writable, failMmap });
  } catch (e) {
    if (backend === 'mapped' || !(e instanceof MapFailedError)) throw e;
    const name = path.split(/[\\/]/).pop() || path;
    return FileSource.open(path, { writable, notice: `Hexmap: ${name} could not be memory-mapped (${e.reason}); reading it with plain reads instead.` });
  }
}

/** Whether the mapped backend is available, and why not (shown once to the user by the extension). */
export function nativeAddonStatus(): { loaded: boolean; error?: string } {
  const { addon, error } = loadNativeAddon();
  return addon ? { loaded: true } : { loaded: false, error };
}
