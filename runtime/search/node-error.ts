// A node's 4xx answer as the client's error, with the reserved fields taken
// out of its message.
//
// Every node has `_miroir_shard` filterable (runtime/dispatch/plan.ts), so a
// node's "not filterable" / "not facet-searchable" errors list it among the
// available attributes; one Meilisearch holding all documents would not, and
// the client must never see a reserved field (ARCHITECTURE §3). The three
// list shapes Meilisearch uses are rewritten; when nothing is left, the
// sentence becomes Meilisearch's own "does not have configured" wording.
// The stand-in name of a reserved field the client named (reserved-names.ts)
// is named back.
import { MeiliError } from '../../api/errors/registry.ts';
import type { NodeResponseError } from '../../transport/node-client/errors.ts';
import { restoreReservedName } from './reserved-names.ts';

const RESERVED_PREFIX = '_miroir_';

interface ListShape {
  /** The sentence up to the list. */
  readonly lead: string;
  /** `a`, `b` (each name quoted) or `a, b` (one quoted span). */
  readonly eachQuoted: boolean;
  /** The sentence when no attribute is left. */
  readonly empty: string;
}

const SHAPES: readonly ListShape[] = [
  { lead: 'Available filterable attribute patterns are: ', eachQuoted: true, empty: 'This index does not have configured filterable attributes.' },
  { lead: 'Available filterable attributes patterns are: ', eachQuoted: false, empty: 'This index does not have configured filterable attributes.' },
  { lead: 'Available facet-searchable attributes patterns are: ', eachQuoted: false, empty: 'This index does not have configured facet-searchable attributes.' },
  { lead: 'Available searchable attributes are: ', eachQuoted: false, empty: 'This index does not have configured searchable attributes.' },
];

/** The client's error for a node's 4xx answer. */
export function clientErrorOf(error: NodeResponseError): MeiliError {
  const meili = error.toMeiliError();
  const message = restoreReservedName(withoutReservedFields(meili.message));
  return message === meili.message ? meili : new MeiliError(meili.code, message, { cause: error });
}

/** `message` with reserved field names removed from the attribute lists it quotes. */
export function withoutReservedFields(message: string): string {
  if (!message.includes(RESERVED_PREFIX)) return message;
  let out = message;
  for (const shape of SHAPES) {
    const at = out.indexOf(shape.lead);
    if (at < 0) continue;
    const listStart = at + shape.lead.length;
    const listEnd = out.indexOf('`.', listStart);
    if (listEnd < 0) continue;
    const names = out.slice(listStart, listEnd + 1).replaceAll('`', '').split(', ');
    const kept = names.filter((name) => !name.startsWith(RESERVED_PREFIX));
    if (kept.length === names.length) continue;
    const sentence = kept.length === 0
      ? shape.empty
      : `${shape.lead}${shape.eachQuoted ? kept.map((n) => `\`${n}\``).join(', ') : `\`${kept.join(', ')}\``}.`;
    out = out.slice(0, at) + sentence + out.slice(listEnd + 2);
  }
  return out;
}
