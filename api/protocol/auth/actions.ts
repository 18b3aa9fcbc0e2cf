// API-key actions (API.md §9.1): the accepted names, in the order
// Meilisearch lists them in its "Unknown value" message, and how a key's
// wildcard actions expand. `*` grants every action (keys.* included) but not
// the pseudo-action `*.get`; `*.get` grants every read action except
// `keys.get`, so a read-only key cannot read other keys.

export const ACTIONS = [
  '*', 'search', 'documents.*', 'documents.add', 'documents.get', 'documents.delete',
  'indexes.*', 'indexes.create', 'indexes.get', 'indexes.update', 'indexes.delete', 'indexes.swap',
  'tasks.*', 'tasks.cancel', 'tasks.delete', 'tasks.get', 'settings.*', 'settings.get', 'settings.update',
  'stats.*', 'stats.get', 'metrics.*', 'metrics.get', 'dumps.*', 'dumps.create', 'snapshots.*',
  'snapshots.create', 'version', 'keys.create', 'keys.get', 'keys.update', 'keys.delete',
  'experimental.get', 'experimental.update', 'export', 'network.get', 'network.update',
  'chatCompletions', 'chats.*', 'chats.get', 'chats.delete', 'chatsSettings.*', 'chatsSettings.get',
  'chatsSettings.update', '*.get', 'webhooks.get', 'webhooks.update', 'webhooks.delete',
  'webhooks.create', 'webhooks.*', 'indexes.compact', 'fields.post', 'tasks.compact',
  'dynamicSearchRules.get', 'dynamicSearchRules.create', 'dynamicSearchRules.update',
  'dynamicSearchRules.delete', 'dynamicSearchRules.*',
] as const;

export type Action = (typeof ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

export function isAction(value: string): value is Action {
  return ACTION_SET.has(value);
}

/** `family.*` grants every `family.x` action. */
const FAMILY_WILDCARDS: ReadonlySet<string> = new Set(ACTIONS.filter((a) => a.endsWith('.*') && a !== '*.get'));

/** Actions that only read; `*.get` expands to these. `keys.get` is left out on purpose. */
const READ_ACTIONS: ReadonlySet<string> = new Set(
  ACTIONS.filter((a) => (a.endsWith('.get') && a !== '*.get' && a !== 'keys.get') || a === 'search' || a === 'version'),
);

/** Whether a key holding `granted` may perform `required`. */
export function actionAllowed(granted: readonly string[], required: string): boolean {
  for (const action of granted) {
    if (action === required) return true;
    if (action === '*' && required !== '*.get') return true;
    if (action === '*.get' && READ_ACTIONS.has(required)) return true;
    if (FAMILY_WILDCARDS.has(action) && required.startsWith(action.slice(0, -1)) && required !== action) return true;
  }
  return false;
}
