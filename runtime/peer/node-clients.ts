// The NodeClients of one peer: one per node of the replicated cluster state
// that is not removed, created when the node appears (or on first use) and
// closed when it is removed or its URL changes. The state is the truth:
// `reconcile` runs after every applied topology command and after a
// snapshot replaced the state.
import { NodeUnavailableError } from '../errors.ts';
import type { ClusterState } from '../cluster/index.ts';
import { NodeClient, type NodeClientOptions } from '../../transport/node-client/node-client.ts';

export type NodeClientSettings = Omit<NodeClientOptions, 'nodeId' | 'url'>;

export class NodeClients {
  readonly #settings: NodeClientSettings;
  readonly #clients = new Map<string, NodeClient>();
  #closed = false;

  constructor(settings: NodeClientSettings) {
    this.#settings = settings;
  }

  /** The client towards `nodeId`; NodeUnavailableError when the state has no such (live) node. */
  get(state: Readonly<ClusterState>, nodeId: string): NodeClient {
    const node = state.nodes.get(nodeId);
    if (node === undefined || node.state === 'removed') throw new NodeUnavailableError(nodeId, 'not a node of the cluster');
    if (this.#closed) throw new NodeUnavailableError(nodeId, 'the peer is shutting down');
    const existing = this.#clients.get(nodeId);
    if (existing !== undefined && existing.url === node.url) return existing;
    if (existing !== undefined) this.#drop(nodeId, existing);
    const client = new NodeClient({ ...this.#settings, nodeId, url: node.url });
    this.#clients.set(nodeId, client);
    return client;
  }

  /** Closes the clients of nodes that are gone or moved; new nodes get theirs on first use. */
  reconcile(state: Readonly<ClusterState>): void {
    for (const [nodeId, client] of this.#clients) {
      const node = state.nodes.get(nodeId);
      if (node === undefined || node.state === 'removed' || node.url !== client.url) this.#drop(nodeId, client);
    }
  }

  get size(): number {
    return this.#clients.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }

  #drop(nodeId: string, client: NodeClient): void {
    this.#clients.delete(nodeId);
    // Requests in flight finish on the old pool, which closes in the background. Its close()
    // rejects only for a pool closed twice, and a dropped client leaves the map exactly once.
    void client.close();
  }
}
