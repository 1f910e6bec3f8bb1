/**
 * The webview's only line to the extension host: wraps acquireVsCodeApi()
 * and turns the protocol's request/response messages (matched by id) into
 * promises, with optional streaming callbacks for 'find'.
 */
import type { FindResult, HostMessage, HostRequest, ResultOf, WebviewMessage } from '../../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface StreamCallbacks {
  onMatches?: (matches: number[]) => void;
  onProgress?: (scanned: number, total: number) => void;
}

interface Pending extends StreamCallbacks {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

export interface RequestHandle<T> {
  id: number;
  result: Promise<T>;
}

export class HostChannel {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((message: HostMessage) => void)[] = [];

  constructor() {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data as HostMessage));
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  request<R extends HostRequest>(request: R, stream?: StreamCallbacks): RequestHandle<ResultOf<R>> {
    const id = this.nextId++;
    const result = new Promise<ResultOf<R>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject, ...stream });
    });
    this.post({ type: 'request', id, request });
    return { id, result };
  }

  cancel(id: number): void {
    if (this.pending.has(id)) this.post({ type: 'cancel', id });
  }

  /** Messages that are not responses: init, changed, reveal, action, settings. */
  onMessage(listener: (message: HostMessage) => void): void {
    this.listeners.push(listener);
  }

  getState<T>(): T | undefined {
    return this.api.getState() as T | undefined;
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private receive(message: HostMessage): void {
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'response': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.ok) p.resolve(message.result as never);
        else p.reject(new Error(message.error));
        return;
      }
      case 'findMatches':
        this.pending.get(message.id)?.onMatches?.(message.matches);
        return;
      case 'findProgress':
        this.pending.get(message.id)?.onProgress?.(message.scanned, message.total);
        return;
      default:
        for (const l of this.listeners) l(message);
    }
  }
}

export type { FindResult };
