// What a node answered when it answered with an error. The body is already a
// Meilisearch error (`{message, code, type, link}`) because nodes speak the
// Meilisearch API; the edge can pass it through unchanged.
import { MeiliError } from '../../api/errors/registry.ts';

export interface NodeErrorBody {
  message: string;
  code: string;
  type: string;
  link: string;
}

export class NodeResponseError extends Error {
  override readonly name = 'NodeResponseError';
  readonly nodeId: string;
  readonly status: number;
  readonly body: NodeErrorBody;
  constructor(nodeId: string, status: number, body: NodeErrorBody) {
    super(`node ${nodeId} answered ${status} ${body.code}: ${body.message}`);
    this.nodeId = nodeId;
    this.status = status;
    this.body = body;
  }

  /** The node's error as Miroir's own, when the code is one Miroir knows. */
  toMeiliError(): MeiliError {
    try {
      return new MeiliError(this.body.code, this.body.message, { cause: this });
    } catch {
      return new MeiliError('miroir_node_unavailable', this.message, { cause: this });
    }
  }
}

/** Normalizes whatever a failing node sent into the error shape. */
export function asErrorBody(status: number, body: unknown): NodeErrorBody {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.message === 'string' && typeof b.code === 'string') {
      return {
        message: b.message,
        code: b.code,
        type: typeof b.type === 'string' ? b.type : 'internal',
        link: typeof b.link === 'string' ? b.link : `https://docs.meilisearch.com/errors#${b.code}`,
      };
    }
  }
  return {
    message: `unexpected answer with status ${status}`,
    code: 'internal',
    type: 'internal',
    link: 'https://docs.meilisearch.com/errors#internal',
  };
}
