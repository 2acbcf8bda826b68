import { randomBytes } from 'node:crypto';

/**
 * UUIDs for the rows of one import, in the UUIDv7 layout (RFC 9562 §5.7): the 48-bit start
 * time, then 32 random bits fixed for this import, then a counter. They are unique like
 * random UUIDs, but ascending, so the primary-key B-tree grows at its right edge instead of
 * splitting pages all over — a large part of COPY's cost with random (v4) ids.
 */
export class TimeOrderedIds {
  private readonly prefix: string;
  private counter = 0;

  constructor(now: Date = new Date()) {
    const ms = now.getTime().toString(16).padStart(12, '0').slice(-12);
    const random = randomBytes(4).toString('hex');
    // time_high(8)-time_low(4)-7 + 3 random-variant(8,9,a,b) + 3 random…
    this.prefix = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(0, 3)}-${'89ab'[Number.parseInt(random[3]!, 16) & 3]}${random.slice(4, 7)}-`;
  }

  /** The next id; 2^48 ids per import before the counter would wrap. */
  next(): string {
    return this.at(this.counter++);
  }

  /** The n-th id of this sequence (for ids numbered by the caller, e.g. households). */
  at(n: number): string {
    return this.prefix + n.toString(16).padStart(12, '0');
  }
}
