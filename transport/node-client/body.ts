// One HTTP exchange with a node through undici's dispatcher API, the answer
// collected as its status and its body's text. A dispatch handler receives
// the body as Buffer chunks and decodes them once at the end: no Readable
// stream, no async resource, no promise per chunk (node-client.ts says why
// that matters). Like `Pool.request`, the exchange honours an AbortSignal, and
// the promise rejects with the signal's reason at once: a request still
// queued in the pool is cancelled when its turn comes, one under way is
// destroyed.
import type { Dispatcher } from 'undici';

export interface CollectedResponse {
  readonly status: number;
  readonly text: string;
}

type DispatchOptions = Pick<Dispatcher.DispatchOptions, 'method' | 'path' | 'headers' | 'body'>;

/** Sends one request on `dispatcher` and resolves with the whole answer; rejects with the transport's or the signal's error. */
export function collectResponse(dispatcher: Dispatcher, options: DispatchOptions, signal?: AbortSignal): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    const handler = new CollectingHandler(resolve, reject, signal);
    if (handler.settled) return;
    dispatcher.dispatch(options, handler);
  });
}

/** The legacy (onConnect/onHeaders/onData/onComplete/onError) handler shape undici still accepts. */
class CollectingHandler implements Dispatcher.DispatchHandler {
  settled = false;
  private status = 0;
  private readonly chunks: Buffer[] = [];
  private abortExchange: ((reason: Error) => void) | null = null;
  private reason: Error | null = null;
  private readonly onAbort: (() => void) | null = null;

  constructor(
    private readonly resolve: (response: CollectedResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal === undefined) return;
    if (signal.aborted) {
      this.fail(reasonOf(signal));
      return;
    }
    this.onAbort = () => {
      this.reason = reasonOf(signal);
      // Still queued in the pool: reject now; onConnect cancels it when its turn comes.
      if (this.abortExchange === null) this.fail(this.reason);
      else this.abortExchange(this.reason);
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.reason !== null) abort(this.reason);
    else this.abortExchange = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.release();
    const text = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.resolve({ status: this.status, text });
  }

  onError(error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.release();
    this.reject(error);
  }

  private release(): void {
    if (this.onAbort !== null) this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`request aborted: ${String(reason)}`);
}
