/**
 * A bound on how many files a replay reads at once (`streamedLogFile`): a glob of ten
 * thousand small files opens, reads and closes them a few dozen at a time instead of holding
 * ten thousand descriptors and buffers. A file gives its slot back when it ends, fails, is
 * unsubscribed, or is paused by the merge (it holds enough lines for now): a file waiting for a
 * slot never waits on one that waits for it.
 */
import { Observable } from 'rxjs';

interface Request {
  readonly grant: () => void;
  cancelled: boolean;
}

export class ReadSlots {
  private readonly queue: Request[] = [];
  private head = 0;

  constructor(private free: number) {}

  /** Emits, once a slot is free, the function that gives it back (idempotent), and completes. */
  take(): Observable<() => void> {
    return new Observable<() => void>((subscriber) => {
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        this.free++;
        this.grantNext();
      };
      const grant = (): void => {
        subscriber.next(release);
        subscriber.complete();
      };
      if (this.free > 0) {
        this.free--;
        grant();
        return undefined;
      }
      const request: Request = { grant, cancelled: false };
      this.queue.push(request);
      return () => void (request.cancelled = true);
    });
  }

  private grantNext(): void {
    while (this.free > 0 && this.head < this.queue.length) {
      const request = this.queue[this.head++] as Request;
      if (request.cancelled) continue;
      this.free--;
      request.grant();
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }
}

/** Files read at once by every replay in the process. */
export const replaySlots = new ReadSlots(64);
