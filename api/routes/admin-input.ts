// Input checks shared by the `/_miroir` admin routes (peers, nodes, groups):
// ids as the config schema spells them, JSON object bodies with known fields,
// and addresses with the right scheme. Each failure is a 400 `bad_request`
// naming the field.
import { MeiliError } from '../errors/registry.ts';

const ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** A peer, node or group id (runtime/config/schema.ts's rule). */
export function idOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new MeiliError('bad_request', `\`${field}\` must be an id of 1 to 64 characters among a-z A-Z 0-9 - _, got ${JSON.stringify(value) ?? 'nothing'}.`);
  }
  return value;
}

/** The body as a JSON object holding only `allowed` fields. */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MeiliError('bad_request', 'The body must be a JSON object.');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new MeiliError('bad_request', `Unknown field \`${unknown[0]}\`: expected ${allowed.map((k) => `\`${k}\``).join(', ')}.`);
  return body as Record<string, unknown>;
}

/** An absolute URL whose scheme is one of `schemes` (e.g. ['http:', 'https:']). */
export function urlOf(value: unknown, field: string, schemes: readonly string[], what: string): string {
  if (typeof value !== 'string' || !URL.canParse(value) || !schemes.includes(new URL(value).protocol)) {
    throw new MeiliError('bad_request', `\`${field}\` must be ${what}, got ${JSON.stringify(value) ?? 'nothing'}.`);
  }
  return value;
}
