// The one registry of Meilisearch-shaped errors (STYLE G11). Each code maps to
// its HTTP status and `type`; the `link` is derived. Meilisearch's own codes
// (../shared/design/API.md §3) are used wherever one exists, `miroir_*`
// otherwise. Both the embedded engine and the Miroir edge answer through it,
// so no route ever builds an error body by hand.

export type ErrorType = 'invalid_request' | 'auth' | 'internal' | 'system';

type Entry = readonly [status: number, type: ErrorType];

const INVALID = (status = 400): Entry => [status, 'invalid_request'];

const searchParams = [
  'q', 'offset', 'limit', 'page', 'hits_per_page', 'attributes_to_retrieve', 'attributes_to_crop',
  'crop_length', 'crop_marker', 'attributes_to_highlight', 'highlight_pre_tag', 'highlight_post_tag',
  'show_matches_position', 'show_ranking_score', 'show_ranking_score_details',
  'show_performance_details', 'filter', 'sort', 'distinct', 'facets', 'matching_strategy',
  'attributes_to_search_on', 'ranking_score_threshold', 'locales', 'hybrid_query',
  'semantic_ratio', 'embedder', 'vector', 'media', 'media_and_vector', 'use_network',
  'personalize', 'personalize_user_context', 'retrieve_vectors',
] as const;

const multiSearchParams = [
  'federation_options', 'query_pagination', 'query_facets', 'facets_by_index', 'merge_facets',
  'max_values_per_facet', 'facet_order', 'distinct', 'remote', 'weight', 'query_position',
  'query_personalization', 'query_show_performance_details', 'federated', 'facets',
  'query_ranking_rules',
] as const;

const settingsNames = [
  'displayed_attributes', 'searchable_attributes', 'filterable_attributes', 'sortable_attributes',
  'ranking_rules', 'stop_words', 'non_separator_tokens', 'separator_tokens', 'dictionary',
  'synonyms', 'distinct_attribute', 'proximity_precision', 'typo_tolerance', 'faceting',
  'pagination', 'embedders', 'search_cutoff_ms', 'localized_attributes', 'facet_search',
  'prefix_search', 'foreign_keys', 'chat',
] as const;

const taskParams = [
  'uids', 'batch_uids', 'statuses', 'types', 'canceled_by', 'from', 'limit', 'reverse',
  'before_enqueued_at', 'after_enqueued_at', 'before_started_at', 'after_started_at',
  'before_finished_at', 'after_finished_at', 'index_uids',
] as const;

const apiKeyFields = ['actions', 'indexes', 'expires_at', 'description', 'name', 'uid', 'offset', 'limit'] as const;
const immutableKeyFields = ['uid', 'key', 'actions', 'indexes', 'expires_at', 'created_at', 'updated_at'] as const;

const table: Record<string, Entry> = {
  bad_request: INVALID(),
  bad_parameter: INVALID(),
  invalid_index_uid: INVALID(),
  missing_index_uid: INVALID(),
  invalid_index_primary_key: INVALID(),
  invalid_index_offset: INVALID(),
  invalid_index_limit: INVALID(),
  invalid_index_custom_metadata: INVALID(),
  invalid_skip_creation: INVALID(),
  immutable_index_uid: INVALID(),
  immutable_index_created_at: INVALID(),
  immutable_index_updated_at: INVALID(),
  index_primary_key_already_exists: INVALID(),
  index_primary_key_no_candidate_found: INVALID(),
  index_primary_key_multiple_candidates_found: INVALID(),
  invalid_document_id: INVALID(),
  missing_document_id: INVALID(),
  invalid_document_fields: INVALID(),
  invalid_document_filter: INVALID(),
  missing_document_filter: INVALID(),
  invalid_document_sort: INVALID(),
  invalid_document_ids: INVALID(),
  invalid_document_offset: INVALID(),
  invalid_document_limit: INVALID(),
  invalid_document_retrieve_vectors: INVALID(),
  invalid_document_csv_delimiter: INVALID(),
  invalid_document_use_network: INVALID(),
  invalid_document_geo_field: INVALID(),
  invalid_document_geojson_field: INVALID(),
  malformed_payload: INVALID(),
  missing_payload: INVALID(),
  max_fields_limit_exceeded: INVALID(),
  missing_search_hybrid: INVALID(),
  invalid_facet_search_facet_name: INVALID(),
  invalid_facet_search_facet_query: INVALID(),
  invalid_facet_search_query: INVALID(),
  invalid_facet_search_name: INVALID(),
  invalid_facet_search_exhaustive_facet_count: INVALID(),
  missing_facet_search_facet_name: INVALID(),
  facet_search_disabled: INVALID(),
  invalid_stats_show_internal_database_sizes: INVALID(),
  invalid_stats_size_format: INVALID(),
  invalid_swap_indexes: INVALID(),
  invalid_swap_duplicate_index_found: INVALID(),
  invalid_swap_rename: INVALID(),
  missing_swap_indexes: INVALID(),
  duplicate_index_found: INVALID(),
  invalid_task_uids: INVALID(),
  invalid_batch_uids: INVALID(),
  missing_task_filters: INVALID(),
  missing_api_key_actions: INVALID(),
  missing_api_key_indexes: INVALID(),
  missing_api_key_expires_at: INVALID(),
  index_scoped_api_key_with_global_action: INVALID(),
  feature_not_enabled: INVALID(),
  invalid_header_value: INVALID(),
  not_leader: INVALID(),
  missing_authorization_header: [401, 'auth'],
  missing_master_key: [401, 'auth'],
  invalid_api_key: [403, 'auth'],
  index_not_found: INVALID(404),
  document_not_found: INVALID(404),
  task_not_found: INVALID(404),
  batch_not_found: INVALID(404),
  api_key_not_found: INVALID(404),
  task_file_not_found: INVALID(404),
  dump_not_found: INVALID(404),
  index_already_exists: INVALID(409),
  api_key_already_exists: INVALID(409),
  dump_already_processing: INVALID(409),
  payload_too_large: INVALID(413),
  missing_content_type: INVALID(415),
  invalid_content_type: INVALID(415),
  unsupported_media_type: INVALID(415),
  io_error: [422, 'system'],
  no_space_left_on_device: [422, 'system'],
  too_many_open_files: [422, 'system'],
  requires_enterprise_edition: INVALID(451),
  internal: [500, 'internal'],
  database_size_limit_reached: [500, 'internal'],
  index_creation_failed: [500, 'internal'],
  invalid_state: [500, 'internal'],
  too_many_search_requests: [503, 'system'],
  // Routes that exist in Meilisearch but not here answer like an unknown route.
  not_found: INVALID(404),
  method_not_allowed: INVALID(405),

  // Miroir's own codes.
  miroir_reserved_field: INVALID(),
  miroir_invalid_config: INVALID(),
  miroir_no_quorum: [503, 'system'],
  miroir_shard_unavailable: [503, 'system'],
  miroir_overloaded: [503, 'system'],
  miroir_no_leader: [503, 'system'],
  miroir_node_unavailable: [502, 'system'],
  miroir_timeout: [504, 'system'],
  miroir_missing_admin_key: [401, 'auth'],
  miroir_invalid_admin_key: [403, 'auth'],
  miroir_unknown_node: INVALID(404),
  miroir_unknown_group: INVALID(404),
  miroir_unknown_peer: INVALID(404),
  miroir_unknown_migration: INVALID(404),
  miroir_invalid_topology: INVALID(),
  miroir_job_conflict: INVALID(409),
  miroir_topology_change_in_progress: INVALID(409),
  // A write split for an index that was deleted and recreated with another S while it was in flight.
  miroir_index_changed: INVALID(409),
};

for (const p of searchParams) table[`invalid_search_${p}`] = INVALID();
for (const p of multiSearchParams) table[`invalid_multi_search_${p}`] = INVALID();
for (const s of settingsNames) table[`invalid_settings_${s}`] = INVALID();
for (const t of taskParams) table[`invalid_task_${t}`] = INVALID();
for (const f of apiKeyFields) table[`invalid_api_key_${f}`] = INVALID();
for (const f of immutableKeyFields) table[`immutable_api_key_${f}`] = INVALID();

export interface ErrorBody {
  message: string;
  code: string;
  type: ErrorType;
  link: string;
}

export function isKnownCode(code: string): boolean {
  return Object.hasOwn(table, code);
}

export function statusOf(code: string): number {
  const entry = table[code];
  if (!entry) throw new Error(`unregistered error code ${code}`);
  return entry[0];
}

export function errorBody(code: string, message: string): ErrorBody {
  const entry = table[code];
  if (!entry) throw new Error(`unregistered error code ${code}`);
  return { message, code, type: entry[1], link: `https://docs.meilisearch.com/errors#${code}` };
}

/**
 * An error that becomes a Meilisearch-shaped answer. Thrown by request
 * handling and task processing; the HTTP layers turn it into
 * `{message, code, type, link}` with the registered status, and tasks store
 * `toBody()` as their `error`.
 */
export class MeiliError extends Error {
  override readonly name = 'MeiliError';
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = statusOf(code);
  }
  toBody(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export function registeredCodes(): string[] {
  return Object.keys(table).sort();
}
