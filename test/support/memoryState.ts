/** VS Code's workspace state (a Memento) kept in a Map: what the bookmark store persists into, in tests. */
import type { KeyValueStore } from '../../extension/bookmarks/bookmarkStore';

export class MemoryState implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.values.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, value); }
}
