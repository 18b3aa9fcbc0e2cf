// How runtime failures reach clients: a forwarded write whose leader cannot
// be reached is a retriable 503 naming the peer as a peer (it used to be a
// 502 `miroir_node_unavailable` saying "node p2"), while a node that cannot
// be reached stays `miroir_node_unavailable`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMeiliError } from '../../../api/plugins/errors.ts';
import { NodeUnavailableError, PeerUnavailableError } from '../../../runtime/errors.ts';

test('an unreachable leader peer is 503 miroir_no_leader, an unreachable node 502 miroir_node_unavailable', () => {
  const peer = toMeiliError(new PeerUnavailableError('p2', 'peer connection lost before the response'), 1024);
  assert.equal(peer?.status, 503);
  assert.equal(peer?.code, 'miroir_no_leader');
  assert.match(peer?.message ?? '', /peer p2 unavailable.*check its task before retrying/);
  const node = toMeiliError(new NodeUnavailableError('n1', 'connection refused'), 1024);
  assert.equal(node?.status, 502);
  assert.equal(node?.code, 'miroir_node_unavailable');
});
