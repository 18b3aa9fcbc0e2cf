// Settings routes (API.md §1.4): the whole object (GET, PATCH, DELETE) and
// one sub-route per setting with its own update verb (PUT for most, PATCH for
// typoTolerance, faceting, pagination and embedders). Updates create a
// missing index; resets never do, so their task fails with index_not_found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canCreateIndex } from '../../../api/protocol/auth/authorize.ts';
import { SETTINGS_KEYS, type Settings } from '../../../api/protocol/settings/settings.ts';
import { parseSettingsBody, parseSettingValue, resetAllPatch } from '../../../api/protocol/settings/validate.ts';
import type { SettingsPatch } from '../../tasks/types.ts';
import type { EngineContext, RouteOptions } from '../context.ts';
import { accepted, indexUidParam, writeQuery } from '../route-helpers.ts';

const PATCH_VERB: ReadonlySet<keyof Settings> = new Set(['typoTolerance', 'faceting', 'pagination', 'embedders']);

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function settingsOf(ctx: EngineContext, uid: string): Settings {
  const settings = ctx.indexes.require(uid).settings;
  const out: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) out[key] = settings[key];
  return out as unknown as Settings;
}

export async function settingsRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  const read = { config: { action: 'settings.get', index: 'param' } } as const;
  const write = { config: { action: 'settings.update', index: 'param' } } as const;

  const enqueue = async (request: FastifyRequest, indexUid: string, patch: SettingsPatch, isDeletion: boolean, meta: { customMetadata?: string }) => {
    const allowIndexCreation = canCreateIndex(request.identity, indexUid);
    return ctx.tasks.enqueue({ indexUid, op: { op: 'settingsUpdate', patch, isDeletion, allowIndexCreation }, ...meta });
  };

  app.get('/indexes/:indexUid/settings', read, async (request) => settingsOf(ctx, indexUidParam(request)));

  app.patch('/indexes/:indexUid/settings', write, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return accepted(reply, await enqueue(request, uid, parseSettingsBody(request.body), false, meta));
  });

  app.delete('/indexes/:indexUid/settings', write, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return accepted(reply, await enqueue(request, uid, resetAllPatch(), true, meta));
  });

  for (const key of SETTINGS_KEYS) {
    const path = `/indexes/:indexUid/settings/${kebab(key)}`;
    // Bare strings and null must still go out as JSON (Fastify would send a string as text).
    app.get(path, read, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(settingsOf(ctx, indexUidParam(request))[key])));
    app.route({
      method: PATCH_VERB.has(key) ? 'PATCH' : 'PUT',
      url: path,
      config: write.config,
      handler: async (request, reply) => {
        const uid = indexUidParam(request);
        const { meta } = writeQuery(request);
        const value = request.body;
        const patch = { [key]: value === null ? null : parseSettingValue(key, value, '') } as SettingsPatch;
        return accepted(reply, await enqueue(request, uid, patch, false, meta));
      },
    });
    app.delete(path, write, async (request, reply) => {
      const uid = indexUidParam(request);
      const { meta } = writeQuery(request);
      return accepted(reply, await enqueue(request, uid, { [key]: null } as SettingsPatch, true, meta));
    });
  }
}
