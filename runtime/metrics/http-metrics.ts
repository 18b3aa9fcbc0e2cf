// The client API's request metrics (issue 6 §1): counts and durations by
// method, route pattern and status code, and the requests in flight. The edge
// (api/plugins/metrics.ts) reports to it; routes are patterns
// (`/indexes/:indexUid/search`), never raw URLs, so the label sets stay
// bounded whatever clients send.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The route label of requests no route matched (404/405 answers). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds; from a cached answer (~1 ms) to a slow scatter near the search timeout. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface HttpRequestSample {
  readonly method: string;
  /** The matched route's pattern, or UNMATCHED_ROUTE. */
  readonly route: string;
  readonly statusCode: number;
  readonly durationSeconds: number;
}

const LABELS = ['method', 'route', 'status_code'] as const;

export class HttpMetrics {
  readonly #requests: Counter<(typeof LABELS)[number]>;
  readonly #duration: Histogram<(typeof LABELS)[number]>;
  readonly #inFlight: Gauge;

  constructor(registry: Registry) {
    this.#requests = new Counter({
      name: 'miroir_http_requests_total',
      help: 'Client API requests answered, by method, route pattern and status code.',
      labelNames: LABELS,
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'miroir_http_request_duration_seconds',
      help: 'Client API request duration from arrival to the last byte sent, by method, route pattern and status code.',
      labelNames: LABELS,
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.#inFlight = new Gauge({
      name: 'miroir_http_requests_in_flight',
      help: 'Client API requests received and not answered yet.',
      registers: [registry],
    });
  }

  started(): void {
    this.#inFlight.inc();
  }

  /** The request left the peer, answered or abandoned by its client. */
  ended(): void {
    this.#inFlight.dec();
  }

  answered(sample: HttpRequestSample): void {
    const labels = { method: sample.method, route: sample.route, status_code: String(sample.statusCode) };
    this.#requests.inc(labels);
    this.#duration.observe(labels, sample.durationSeconds);
  }
}
