// Document routes (API.md §1.2): add or replace (POST), add or update (PUT),
// list (GET and POST fetch), get one, delete one, by batch, by filter, all.
// Payload syntax is checked before the 202; primary-key, id and
// filterability problems fail inside the task.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { canCreateIndex } from '../../../api/protocol/auth/authorize.ts';
import type { Document } from '../../core/contracts.ts';
import { parseFilterOrThrow } from '../../../api/protocol/filter/parse-or-throw.ts';
import { documentId } from '../../../api/protocol/documents/primary-key.ts';
import { parseDocumentSort, sortDocuments } from '../../documents/sort.ts';
import { parseDeleteBatch, parseDeleteFilter } from '../../../api/protocol/documents/deletion.ts';
import { documentFormat, parseCsvDelimiter, parseDocuments } from '../../../api/protocol/documents/payload.ts';
import type { TaskOp } from '../../tasks/types.ts';
import { rawBody } from '../body.ts';
import type { EngineContext, RouteOptions } from '../context.ts';
import {
  checkQueryKeys, expectObject, invalidType, kindOf, optBool, optUint, queryBool, queryList, queryString, queryUint, type Query,
} from '../../../api/protocol/deserr.ts';
import { accepted, indexUidParam, queryOf, writeQuery } from '../route-helpers.ts';

const WRITE_PARAMS = ['primaryKey', 'csvDelimiter', 'customMetadata', 'skipCreation'];

function addition(method: 'replace' | 'update', ctx: EngineContext) {
  return async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const indexUid = indexUidParam(request);
    const { query, meta } = writeQuery(request, WRITE_PARAMS);
    const primaryKey = queryString(query, 'primaryKey', 'invalid_index_primary_key') ?? null;
    const skipCreation = queryBool(query, 'skipCreation', 'invalid_skip_creation') ?? false;
    const csvDelimiter = parseCsvDelimiter(queryString(query, 'csvDelimiter', 'invalid_document_csv_delimiter'));
    const format = documentFormat(request.headers['content-type'], csvDelimiter);
    const documents = parseDocuments(rawBody(request), format, csvDelimiter);
    const allowIndexCreation = canCreateIndex(request.identity, indexUid);
    const op: TaskOp = { op: 'documentAddition', method, primaryKey, skipCreation, received: documents.length, allowIndexCreation };
    return accepted(reply, await ctx.tasks.enqueue({ indexUid, op, documents, ...meta }));
  };
}

interface BrowseQuery {
  offset: number;
  limit: number;
  fields: string[] | null;
  ids: string[] | null;
  filter: unknown;
}

function fieldsOrAll(fields: string[] | undefined | null): string[] | null {
  if (fields === undefined || fields === null) return null;
  return fields.includes('*') ? null : fields;
}

/** GET /documents: filter is a string, or a JSON-encoded array in a string. */
function browseFromQuery(query: Query): BrowseQuery & { sort: string[] | undefined } {
  checkQueryKeys(query, ['offset', 'limit', 'fields', 'retrieveVectors', 'sort', 'ids', 'filter', 'useNetwork']);
  queryBool(query, 'retrieveVectors', 'invalid_document_retrieve_vectors');
  queryBool(query, 'useNetwork', 'invalid_document_use_network');
  const rawFilter = queryString(query, 'filter', 'invalid_document_filter');
  let filter: unknown = rawFilter ?? null;
  if (rawFilter !== undefined && rawFilter.trim().startsWith('[')) {
    try {
      filter = JSON.parse(rawFilter) as unknown;
    } catch {
      filter = rawFilter; // Not JSON after all: the filter parser reports it as a string filter.
    }
  }
  return {
    offset: queryUint(query, 'offset', 'invalid_document_offset') ?? 0,
    limit: queryUint(query, 'limit', 'invalid_document_limit') ?? 20,
    fields: fieldsOrAll(queryList(query, 'fields', 'invalid_document_fields')),
    ids: queryList(query, 'ids', 'invalid_document_ids') ?? null,
    filter,
    sort: queryList(query, 'sort', 'invalid_document_sort'),
  };
}

function idList(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw invalidType('invalid_document_ids', '.ids', ['array'], value);
  return value.map((id, i) => {
    if (typeof id === 'string') return id;
    if (kindOf(id) === 'integer' || kindOf(id) === 'negative') return String(id);
    throw invalidType('invalid_document_ids', `.ids[${i}]`, ['integer', 'negative', 'string'], id);
  });
}

/** POST /documents/fetch body. */
function browseFromBody(raw: unknown): BrowseQuery & { sort: string[] | undefined } {
  const body = expectObject(raw, ['offset', 'limit', 'fields', 'retrieveVectors', 'sort', 'ids', 'filter', 'useNetwork']);
  optBool(body, 'retrieveVectors', 'invalid_document_retrieve_vectors');
  optBool(body, 'useNetwork', 'invalid_document_use_network');
  let fields: string[] | null = null;
  if (body.fields !== undefined && body.fields !== null) {
    if (!Array.isArray(body.fields)) throw invalidType('invalid_document_fields', '.fields', ['null', 'array'], body.fields);
    fields = body.fields.map((f, i) => {
      if (typeof f !== 'string') throw invalidType('invalid_document_fields', `.fields[${i}]`, ['string'], f);
      return f;
    });
  }
  let sort: string[] | undefined;
  if (body.sort !== undefined && body.sort !== null) {
    if (!Array.isArray(body.sort)) throw invalidType('invalid_document_sort', '.sort', ['null', 'array'], body.sort);
    sort = body.sort.map(String);
  }
  return {
    offset: optUint(body, 'offset', 'invalid_document_offset') ?? 0,
    limit: optUint(body, 'limit', 'invalid_document_limit') ?? 20,
    fields: fieldsOrAll(fields),
    ids: idList(body.ids),
    filter: body.filter ?? null,
    sort,
  };
}

function browse(ctx: EngineContext, indexUid: string, q: BrowseQuery & { sort: string[] | undefined }) {
  const entry = ctx.indexes.require(indexUid);
  const rules = q.sort !== undefined && q.sort.length > 0 ? parseDocumentSort(q.sort, entry.settings.sortableAttributes) : null;
  const filter = parseFilterOrThrow(q.filter, 'invalid_document_filter');
  if (rules === null) {
    const page = entry.index.list({ offset: q.offset, limit: q.limit, filter, fields: q.fields, ids: q.ids }, indexUid);
    return { results: page.results, offset: q.offset, limit: q.limit, total: page.total };
  }
  // Sorted: rank every matching document, then fetch the page's documents with the field selection.
  const all = entry.index.list({ offset: 0, limit: entry.index.count(), filter, fields: null, ids: q.ids }, indexUid);
  const pk = entry.primaryKey as string;
  const pageIds = sortDocuments(all.results, rules).slice(q.offset, q.offset + q.limit).map((doc) => documentId(doc, pk));
  const selected = entry.index.list({ offset: 0, limit: pageIds.length, filter: null, fields: q.fields === null ? null : [...new Set([...q.fields, pk])], ids: pageIds }, indexUid).results;
  const byId = new Map(selected.map((doc) => [documentId(doc, pk), doc]));
  const results = pageIds.map((id) => dropUnasked(byId.get(id) as Document, pk, q.fields));
  return { results, offset: q.offset, limit: q.limit, total: all.total };
}

/** Removes the primary key again when it was only fetched to put the page back in order. */
function dropUnasked(doc: Document, pk: string, fields: string[] | null): Document {
  if (fields === null || fields.includes(pk)) return doc;
  const { [pk]: _dropped, ...rest } = doc;
  return rest;
}

export async function documentRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  const add = { config: { action: 'documents.add', index: 'param', body: 'raw' } } as const;
  const get = { config: { action: 'documents.get', index: 'param' } } as const;
  const del = { config: { action: 'documents.delete', index: 'param' } } as const;

  app.post('/indexes/:indexUid/documents', add, addition('replace', ctx));
  app.put('/indexes/:indexUid/documents', add, addition('update', ctx));

  app.get('/indexes/:indexUid/documents', get, async (request) => {
    const indexUid = indexUidParam(request);
    return browse(ctx, indexUid, browseFromQuery(queryOf(request)));
  });

  app.post('/indexes/:indexUid/documents/fetch', get, async (request) => {
    const indexUid = indexUidParam(request);
    checkQueryKeys(queryOf(request), []);
    return browse(ctx, indexUid, browseFromBody(request.body));
  });

  app.get('/indexes/:indexUid/documents/:documentId', get, async (request) => {
    const indexUid = indexUidParam(request);
    const { documentId } = request.params as { documentId: string };
    const query = queryOf(request);
    checkQueryKeys(query, ['fields', 'retrieveVectors', 'useNetwork']);
    queryBool(query, 'retrieveVectors', 'invalid_document_retrieve_vectors');
    const fields = fieldsOrAll(queryList(query, 'fields', 'invalid_document_fields'));
    const entry = ctx.indexes.require(indexUid);
    const page = entry.index.list({ offset: 0, limit: 1, filter: null, fields, ids: [documentId] }, indexUid);
    const doc: Document | undefined = page.results[0];
    if (doc === undefined) throw new MeiliError('document_not_found', `Document \`${documentId}\` not found.`);
    return doc;
  });

  app.delete('/indexes/:indexUid/documents/:documentId', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { documentId } = request.params as { documentId: string };
    const { meta } = writeQuery(request);
    return accepted(reply, await ctx.tasks.enqueue({ indexUid, op: { op: 'documentDeletionByIds', ids: [documentId] }, ...meta }));
  });

  app.post('/indexes/:indexUid/documents/delete-batch', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    const ids = parseDeleteBatch(request.body);
    return accepted(reply, await ctx.tasks.enqueue({ indexUid, op: { op: 'documentDeletionByIds', ids }, ...meta }));
  });

  app.post('/indexes/:indexUid/documents/delete', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    const filter = parseDeleteFilter(request.body);
    return accepted(reply, await ctx.tasks.enqueue({ indexUid, op: { op: 'documentDeletionByFilter', filter }, ...meta }));
  });

  app.delete('/indexes/:indexUid/documents', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return accepted(reply, await ctx.tasks.enqueue({ indexUid, op: { op: 'documentClear' }, ...meta }));
  });
}
