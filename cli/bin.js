#!/usr/bin/env node
// The `miroir` command. The sources are TypeScript run through tsx's loader,
// so there is no build step between a checkout and a running cluster.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
