import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';

/** A new `TestScheduler` (one per test) that compares frames with `assert.deepEqual`. */
export const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
