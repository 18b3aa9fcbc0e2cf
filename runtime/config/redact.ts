// A loggable view of a peer config: secrets are reported as set or unset,
// never printed, so a config dump at start-up cannot leak a key into logs.

import type { PeerConfig, PeerSecrets } from './schema.ts';

export type RedactedConfig = Omit<PeerConfig, 'secrets'> & { readonly secrets: Record<keyof PeerSecrets, 'set' | 'unset'> };

export function redactConfig(config: PeerConfig): RedactedConfig {
  const mark = (value: string | null): 'set' | 'unset' => (value === null ? 'unset' : 'set');
  return {
    ...config,
    secrets: {
      masterKey: mark(config.secrets.masterKey),
      nodeMasterKey: mark(config.secrets.nodeMasterKey),
      adminKey: mark(config.secrets.adminKey),
      clusterSecret: mark(config.secrets.clusterSecret),
    },
  };
}
