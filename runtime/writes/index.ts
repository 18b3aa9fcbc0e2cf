// Re-exports of write validation and splitting (ARCHITECTURE §3 steps 1–2).
export { prepareDocumentWrite, documentIdOf } from './prepare-document-write.ts';
export type { DocumentWriteInput, ShardOf } from './prepare-document-write.ts';
export { prepareDeleteIds } from './prepare-document-delete.ts';
export type { DeleteIdsInput } from './prepare-document-delete.ts';
export { canonicalDocumentId, invalidDocumentId } from './document-id.ts';
export { inferPrimaryKey, resolvePrimaryKey, primaryKeyValues } from './primary-key.ts';
export { RESERVED_PREFIX, SHARD_FIELD, isReservedField, reservedFieldOf, stripReservedFields } from './reserved-fields.ts';
export { checkIndexUid, isValidIndexUid, invalidIndexUidError } from './index-uid.ts';
