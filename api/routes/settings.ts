// Settings routes (API.md §1.4) through the log: the whole object (GET,
// PATCH, DELETE) and one sub-route per setting with its own update verb (PUT
// for most, PATCH for typoTolerance, faceting, pagination and embedders).
// Bodies are validated by the same module the engine uses
// (api/protocol/settings/validate.ts), so a bad body gets the same 400.
// Updates create a missing index when the caller may create it; resets never
// do, so their task fails with index_not_found, as in Meilisearch.
//
// GET answers from this peer's replica: the defaults with the client's
// patches applied (api/protocol/settings/apply.ts). The cluster state holds
// only what clients set, so `_miroir_shard`, which the dispatchers keep
// filterable on every node, never shows.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IndexRecord } from '../../runtime/cluster/index.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { applySettingsPatch } from '../protocol/settings/apply.ts';
import { defaultSettings, SETTINGS_KEYS, type Settings, type SettingsPatch } from '../protocol/settings/settings.ts';
import { parseSettingsBody, parseSettingValue, resetAllPatch } from '../protocol/settings/validate.ts';
import { acknowledged, indexUidParam, proposeTask, requireIndex, writeQuery } from './common.ts';

const PATCH_VERB: ReadonlySet<keyof Settings> = new Set(['typoTolerance', 'faceting', 'pagination', 'embedders']);

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The settings an index answers: the defaults, then what its clients set. */
export function indexSettings(index: Readonly<IndexRecord>): Settings {
  return applySettingsPatch(defaultSettings(), index.settings as SettingsPatch);
}

/** Checks in Meilisearch's order (index uid, query string, body), then commits one settings.update. */
async function update(services: PeerServices, request: FastifyRequest, reply: FastifyReply, patchOf: () => SettingsPatch, isReset: boolean) {
  const indexUid = indexUidParam(request);
  const { meta } = writeQuery(request);
  const patch = patchOf();
  const allowIndexCreation = !isReset && request.caller.mayCreateIndex(indexUid);
  const nowMs = services.clock.nowMs();
  const task = await proposeTask(services, { v: 1, kind: 'settings.update', indexUid, settings: patch, allowIndexCreation, nowMs, ...meta });
  return acknowledged(services, reply, task);
}

export async function settingsRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const read = { config: { action: 'settings.get', index: 'param' } } as const;
  const write = { config: { action: 'settings.update', index: 'param' } } as const;
  const settingsOf = async (request: FastifyRequest): Promise<Settings> => indexSettings(await requireIndex(services, indexUidParam(request)));

  app.get('/indexes/:indexUid/settings', read, settingsOf);
  app.patch('/indexes/:indexUid/settings', write, (request, reply) => update(services, request, reply, () => parseSettingsBody(request.body), false));
  app.delete('/indexes/:indexUid/settings', write, (request, reply) => update(services, request, reply, resetAllPatch, true));

  for (const key of SETTINGS_KEYS) {
    const path = `/indexes/:indexUid/settings/${kebab(key)}`;
    // Bare strings and null must still go out as JSON (Fastify would send a string as text).
    app.get(path, read, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify((await settingsOf(request))[key])));
    app.route({
      method: PATCH_VERB.has(key) ? 'PATCH' : 'PUT',
      url: path,
      config: write.config,
      handler: (request, reply) => {
        const value = request.body;
        const patchOf = () => ({ [key]: value === null ? null : parseSettingValue(key, value, '') }) as SettingsPatch;
        return update(services, request, reply, patchOf, false);
      },
    });
    app.delete(path, write, (request, reply) => update(services, request, reply, () => ({ [key]: null }) as SettingsPatch, true));
  }
}
