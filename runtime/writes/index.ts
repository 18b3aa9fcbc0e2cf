// Re-exports of write validation and splitting (ARCHITECTURE §3 steps 1–2).
// Primary keys, document ids and index uids are protocol rules:
// api/protocol/documents/primary-key.ts and api/protocol/index-uid.ts.
export { prepareDocumentWrite } from './prepare-document-write.ts';
export type { DocumentWriteInput, ShardOf } from './prepare-document-write.ts';
export { abandoningPart, laterPart, splitWrite } from './split-write.ts';
export { prepareDeleteIds } from './prepare-document-delete.ts';
export type { DeleteIdsInput } from './prepare-document-delete.ts';
export { RESERVED_PREFIX, SHARD_FIELD, isReservedField, reservedFieldOf, stripReservedFields } from './reserved-fields.ts';
