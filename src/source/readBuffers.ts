/**
 * The followers' read buffers, shared: a follower borrows a pair for one step (the read loop
 * reads into one while the other's chunk is handed over) and gives it back when the step
 * ends, so ten thousand followed files hold a few pairs between them, not two 1 MiB buffers
 * each. At most `slots` steps of all followers read at once (the others wait their turn, in
 * order); pairs are allocated on first use and kept for the next step.
 */
export class ReadBufferPool {
  private readonly free: Buffer[][] = [];
  private readonly queue: ((buffers: Buffer[]) => void)[] = [];
  private head = 0;
  private lent = 0;
  /** Pairs allocated so far (at most `slots`). */
  allocated = 0;

  constructor(
    readonly chunkSize: number,
    readonly slots: number,
  ) {}

  /** Pairs lent now (at most `slots`). */
  get inUse(): number {
    return this.lent;
  }

  /** A pair of buffers of `chunkSize` bytes, once one is free; give it back with `give`. */
  take(): Promise<Buffer[]> {
    if (this.lent < this.slots) {
      this.lent++;
      return Promise.resolve(this.free.pop() ?? this.allocate());
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Gives back a pair from `take` (no read may still be running into it). */
  give(buffers: Buffer[]): void {
    if (this.head < this.queue.length) {
      const next = this.queue[this.head++] as (buffers: Buffer[]) => void;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      next(buffers);
      return;
    }
    this.lent--;
    this.free.push(buffers);
  }

  private allocate(): Buffer[] {
    this.allocated++;
    return [Buffer.allocUnsafe(this.chunkSize), Buffer.allocUnsafe(this.chunkSize)];
  }
}

/** Steps of all followers in the process that read at once (libuv runs 4 file reads at once by default). */
export const FOLLOW_READ_SLOTS = 4;

const pools = new Map<number, ReadBufferPool>();

/** The process's pool for buffers of `chunkSize` bytes. */
export function followReadBuffers(chunkSize: number): ReadBufferPool {
  let pool = pools.get(chunkSize);
  if (pool === undefined) pools.set(chunkSize, (pool = new ReadBufferPool(chunkSize, FOLLOW_READ_SLOTS)));
  return pool;
}
