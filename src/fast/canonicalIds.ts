/**
 * One id space for the strings that several parsing workers name with ids of their own: each
 * worker's ids are translated, through its copy of the worker's names, into ids of a table
 * held here, so that windows can count distinct hosts and hits per section across workers.
 *
 * Bounded like the workers' tables: when full, the canonical table starts a new generation
 * (after `onClear`, while the old names are still readable) and every translation is redone.
 */
import type { NameUpdate } from './recordBatch.js';

export class CanonicalIds {
  /** Called before a clear (the old ids still name their strings). */
  onClear: (() => void) | undefined;
  private names: string[] = [];
  private ids = new Map<string, number>();
  private readonly mirrors: WorkerNames[] = [];

  constructor(private readonly maxEntries = 1 << 16) {}

  /** A translator for one more worker. */
  forWorker(): WorkerNames {
    const mirror = new WorkerNames(this);
    this.mirrors.push(mirror);
    return mirror;
  }

  nameOf(id: number): string {
    return this.names[id] as string;
  }

  /** The canonical id of a string. */
  idOf(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    if (this.names.length >= this.maxEntries) this.clear();
    const id = this.names.length;
    this.names.push(name);
    this.ids.set(name, id);
    return id;
  }

  private clear(): void {
    this.onClear?.();
    this.names = [];
    this.ids = new Map();
    for (const mirror of this.mirrors) mirror.forget();
  }
}

/** A worker's names and their canonical ids (looked up on first use). */
export class WorkerNames {
  private names: string[] = [];
  private generation = -1;
  private canonical = new Int32Array(1024).fill(-1);

  constructor(private readonly table: CanonicalIds) {}

  /** The worker's names from a batch. */
  apply(update: NameUpdate): void {
    if (update.generation !== this.generation || update.from === 0) {
      this.names = [...update.names];
      this.forget();
    } else {
      for (const name of update.names) this.names.push(name);
    }
    this.generation = update.generation;
  }

  /** The canonical id of one of the worker's ids. */
  canonicalOf(id: number): number {
    const known = this.canonical[id];
    if (known !== undefined && known >= 0) return known;
    const canonical = this.table.idOf(this.names[id] as string);
    if (id >= this.canonical.length) {
      const grown = new Int32Array(Math.max(id + 1, this.canonical.length * 2)).fill(-1);
      grown.set(this.canonical);
      this.canonical = grown;
    }
    this.canonical[id] = canonical;
    return canonical;
  }

  /** Drops the translations (the canonical table or the worker's names started over). */
  forget(): void {
    this.canonical.fill(-1);
  }
}
