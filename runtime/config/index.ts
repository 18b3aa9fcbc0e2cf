// Re-exports of the peer configuration (STYLE G17).
export { loadConfig, envNameOf, flagPathOf, NON_CONFIG_ENV } from './load.ts';
export type { ConfigSources } from './load.ts';
export { ConfigError, checkConfig, validateConfig } from './validate.ts';
export { peerConfigSpec, SECRET_ENV } from './schema.ts';
export type { PeerConfig, PeerConfigFile, PeerSecrets } from './schema.ts';
export { redactConfig } from './redact.ts';
