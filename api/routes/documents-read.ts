// Document reads (API.md §1.2) over the cluster (runtime/search/
// documents-read.ts): GET /indexes/{uid}/documents/{id} from one owner of the
// id's shard, GET /indexes/{uid}/documents and POST
// /indexes/{uid}/documents/fetch scattered over the covering set and merged
// into the global window. The list routes' parameters are checked by the
// runtime (it asks a node for Meilisearch's message when one is malformed);
// the few parameters of a single-document read are checked here.
import type { FastifyInstance } from 'fastify';
import { getDocument, listDocuments, listDocumentsFromQuery } from '../../runtime/search/documents-read.ts';
import type { GetDocumentQuery } from '../../runtime/search/documents-read.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { indexUidParam, queryOf } from './common.ts';
import { checkQueryKeys, queryBool, queryString, type Query } from '../protocol/deserr.ts';
import { markDegraded, readOptions } from './read-support.ts';

const DOCUMENTS_GET = { action: 'documents.get', index: 'param' } as const;

/** The query of GET /documents/{id}, with Meilisearch's errors for unknown or repeated keys. */
function getDocumentQuery(query: Query): GetDocumentQuery {
  checkQueryKeys(query, ['fields', 'retrieveVectors', 'useNetwork']);
  queryBool(query, 'useNetwork', 'invalid_document_use_network');
  const fields = queryString(query, 'fields', 'invalid_document_fields');
  const retrieveVectors = queryBool(query, 'retrieveVectors', 'invalid_document_retrieve_vectors');
  return {
    ...(fields === undefined ? {} : { fields }),
    ...(retrieveVectors === undefined ? {} : { retrieveVectors: String(retrieveVectors) }),
  };
}

export async function documentReadRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/indexes/:indexUid/documents/:documentId', { config: DOCUMENTS_GET }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { documentId } = request.params as { documentId: string };
    const query = getDocumentQuery(queryOf(request));
    return getDocument(services, uid, documentId, query, readOptions(request, reply));
  });

  app.get('/indexes/:indexUid/documents', { config: DOCUMENTS_GET }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { response, degradedShards } = await listDocumentsFromQuery(services, uid, queryOf(request), readOptions(request, reply));
    markDegraded(reply, degradedShards);
    return response;
  });

  app.post('/indexes/:indexUid/documents/fetch', { config: DOCUMENTS_GET }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { response, degradedShards } = await listDocuments(services, uid, request.body, readOptions(request, reply));
    markDegraded(reply, degradedShards);
    return response;
  });
}
