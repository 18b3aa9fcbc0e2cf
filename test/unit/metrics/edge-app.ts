// An edge (api/app.ts) over the in-memory peer of test/unit/api/harness.ts,
// with real peer metrics and a pino logger whose lines the test reads.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../api/app.ts';
import { createLogger } from '../../../api/plugins/logging.ts';
import { createPeerMetrics, type PeerMetrics } from '../../../runtime/metrics/index.ts';
import { testPeer, type TestPeer } from '../api/harness.ts';

export interface ObservedEdge {
  app: FastifyInstance;
  peer: TestPeer;
  metrics: PeerMetrics;
  /** Every log line written so far, parsed. */
  lines: Record<string, unknown>[];
  /** The raw text written so far. */
  text(): string;
}

export async function observedEdge(): Promise<ObservedEdge> {
  const peer = await testPeer();
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ destination, base: { peerId: 'p1' } });
  const metrics = createPeerMetrics(
    {
      state: () => peer.state,
      isNodeHealthy: (id) => peer.services.isNodeHealthy(id),
      raft: () => {
        const view = peer.services.raft();
        return { term: view.term, commit: view.commit, applied: view.applied, isLeader: view.role === 'leader', driver: null };
      },
    },
    { processMetrics: true },
  );
  const app = await buildApp({ services: peer.services, logger, metrics });
  const text = (): string => chunks.join('');
  return {
    app,
    peer,
    metrics,
    get lines() {
      return text().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text,
  };
}
