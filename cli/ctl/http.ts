// The admin API client of `miroir ctl`: one request, JSON both ways, the
// admin key as X-Admin-Key. Every way a request can fail — unreachable, no
// answer in time, an answer that is not JSON, an error answer — is a
// CtlError (exit code 1) whose message names the peer and, for an error
// answer, the status and the Meilisearch-shaped code and message.
import type { Args } from './args.ts';

/** A failure to report with exit code 1. */
export class CtlError extends Error {}

export type Method = 'GET' | 'POST' | 'DELETE';

export async function request(args: Args, method: Method, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (args.adminKey !== null) headers['x-admin-key'] = args.adminKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(args.timeoutMs) };
    if (body !== undefined) init.body = JSON.stringify(body);
    response = await fetch(`${args.url}${path}`, init);
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new CtlError(`cannot reach ${args.url}: no answer within ${args.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CtlError(`cannot reach ${args.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new CtlError(`${method} ${args.url}${path}: the answer was cut off (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    throw new CtlError(`${method} ${args.url}${path} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { message?: string; code?: string };
    throw new CtlError(`${method} ${args.url}${path} answered ${response.status} ${error.code ?? ''}: ${error.message ?? text.slice(0, 200)}`);
  }
  return parsed;
}
