/** One request as the server saw it: `GET /__sandbox/requests` lists these. */
export interface RequestRecord {
  readonly origin: 'portal' | 'payment' | 'gitlab';
  readonly method: string;
  /** Path without the query string (queries may carry tokens). */
  readonly path: string;
  readonly step: string;
  /** 0 when the connection closed before a response (a hang released by close()). */
  readonly status: number;
  readonly startedAt: string;
  /** Server time including injected latency, to the end of the response. */
  readonly durationMs: number;
  /** The `X-Synthetic-Journey` header, when sent. */
  readonly synthetic?: string;
  /** The W3C `traceparent` header, when sent. */
  readonly traceparent?: string;
  /** Names of the faults that acted on it: latency, hang, status. */
  readonly faults?: readonly string[];
}

/** The last `capacity` requests, oldest first. */
export class RequestLog {
  readonly #ring: RequestRecord[] = [];
  #next = 0;

  constructor(readonly capacity = 1000) {}

  add(record: RequestRecord): void {
    if (this.#ring.length < this.capacity) this.#ring.push(record);
    else this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Oldest first; optionally only those whose synthetic header starts with `synthetic`. */
  list(filter: { limit?: number; synthetic?: string; step?: string; origin?: string } = {}): RequestRecord[] {
    const ordered =
      this.#ring.length < this.capacity
        ? [...this.#ring]
        : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    const kept = ordered.filter(
      (r) =>
        (filter.synthetic === undefined || (r.synthetic ?? '').startsWith(filter.synthetic)) &&
        (filter.step === undefined || r.step === filter.step) &&
        (filter.origin === undefined || r.origin === filter.origin),
    );
    return filter.limit === undefined ? kept : kept.slice(-filter.limit);
  }

  clear(): void {
    this.#ring.length = 0;
    this.#next = 0;
  }
}
