// A document batch larger than one log entry may carry (half a peer frame by
// default, api/routes/documents-write.ts documentPayloadBytesMax) but within
// the client payload limit (Meilisearch's 100 MB) is split into parts, each
// its own `documents.write` entry: part 0 creates the task, the later parts
// join it (runtime/cluster/apply-batch.ts), so the client sees one taskUid.
//
// Order: a shard's documents keep their order across parts and parts are
// proposed one after the other, so on every node a later document with the
// same id still wins. Documents of different shards never share an id, so
// their relative order does not matter. Sizes are the JSON bytes of the
// stamped documents, which bound the entry's MessagePack encoding.
import { errorBody, MeiliError } from '../../api/errors/registry.ts';
import { payloadTooLarge } from '../../api/protocol/body.ts';
import { assert } from '../assert.ts';
import type { Document, DocumentsWriteCommand } from '../cluster/commands.ts';

/**
 * Parts are at most 2 MiB (less when an entry may carry less): a peer
 * encodes, stores, replicates and applies an entry in one go, and on a loaded
 * machine a large one holds the event loop past the keepalive and election
 * timeouts (a 40 MB batch in 8 MiB parts lost its leader over and over on a
 * machine at load 15). Many small parts cost little: they follow each other
 * in the log and the dispatchers coalesce them into few node requests.
 */
const PART_BYTES_MAX = 2 * 1024 * 1024;

/** The command as one entry when it fits `bytesMax`, else its parts in proposal order (later parts lack their task uid). */
export function splitWrite(command: DocumentsWriteCommand, bytesMax: number): DocumentsWriteCommand[] {
  if (command.rejected !== undefined) return [command];
  const shards = Object.keys(command.byShard).map(Number).sort((a, b) => a - b);
  // The document's JSON and the comma after it.
  const sizes = shards.map((shard) => command.byShard[shard]!.map((d) => Buffer.byteLength(JSON.stringify(d)) + 1));
  if (sizes.flat().some((size) => size > bytesMax)) throw payloadTooLarge(bytesMax);
  if (sizes.flat().reduce((a, b) => a + b, 0) <= bytesMax) return [command];
  const partBytes = Math.max(1, Math.min(PART_BYTES_MAX, Math.floor(bytesMax / 4)));
  const parts: Record<number, Document[]>[] = [{}];
  let bytes = 0;
  shards.forEach((shard, s) => {
    command.byShard[shard]!.forEach((document, d) => {
      const size = sizes[s]![d]!;
      if (bytes + size > partBytes && bytes > 0) {
        parts.push({});
        bytes = 0;
      }
      (parts[parts.length - 1]![shard] ??= []).push(document);
      bytes += size;
    });
  });
  return parts.map((byShard, index) => {
    const received = Object.values(byShard).reduce((n, docs) => n + docs.length, 0);
    assert(received > 0, 'every part carries documents');
    // Part 0 carries the batch's count: it is the task's receivedDocuments.
    return { ...command, byShard, receivedDocuments: index === 0 ? command.receivedDocuments : received, part: { index, count: parts.length } };
  });
}

/** A later part, bound to the task part 0 created. */
export function laterPart(part: DocumentsWriteCommand, taskUid: number): DocumentsWriteCommand {
  assert(part.part !== undefined && part.part.index > 0, 'only parts after the first join a task');
  return { ...part, part: { ...part.part, taskUid } };
}

/**
 * The later part that abandons the batch when a part could not be proposed
 * (`error`, e.g. no leader): it carries no documents, and apply fails the
 * task with that error instead of leaving it waiting for parts that never come.
 */
export function abandoningPart(part: DocumentsWriteCommand, taskUid: number, error: unknown): DocumentsWriteCommand {
  const cause = error instanceof MeiliError ? errorBody(error.code, error.message) : null;
  const { part: _part, byShard: _documents, ...rest } = laterPart(part, taskUid);
  return {
    ...rest,
    byShard: {},
    receivedDocuments: 0,
    part: { index: part.part!.index, count: part.part!.count, taskUid },
    rejected: cause ?? errorBody('miroir_no_leader', `Part ${part.part!.index + 1} of ${part.part!.count} of this batch could not be committed; no document of the later parts was written. Send the batch again.`),
  };
}
