// The query-string readers are protocol rules (api/protocol/deserr.ts); this
// module only keeps the import path of the route plugins that still use it.
export { checkQueryKeys, queryBool, queryString, queryUint, type Query } from '../protocol/deserr.ts';
