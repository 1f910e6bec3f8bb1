/**
 * The plain-read backend's scans read through one lane: at most one of their
 * chunk reads is on the libuv pool at any moment, whatever the number of
 * scans, so other extensions' file I/O (and Hexmap's own window reads, which
 * do not use the lane) never queue behind a crowd of scan reads. Concurrent
 * scans take turns chunk by chunk, and the event loop runs between chunks.
 */
export class ScanLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every earlier job of the lane has settled. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The one lane all plain-read scans share. */
export const fileScanLane = new ScanLane();
