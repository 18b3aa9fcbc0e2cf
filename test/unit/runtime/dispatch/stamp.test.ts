// Goal: the dispatcher's customMetadata stamp (runtime/dispatch/stamp.ts)
// round-trips every position and range, refuses anything that is not one of
// its own stamps (a client's metadata, a malformed or reversed range), and
// marks exactly the documents routes. Method: formatted and parsed values
// checked by hand, plus a seeded sweep of random stamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { comparePositions, formatStamp, parseStamp, stampable, stampedQuery, type Stamp } from '../../../../runtime/dispatch/stamp.ts';

const at = (logIndex: number, request = 0, of = 1) => ({ logIndex, request, of });

test('stamps read as documented: the place in the entry only when it has several requests, ranges only when coalesced', () => {
  assert.equal(formatStamp({ from: at(12), to: at(12) }), 'miroir:12');
  assert.equal(formatStamp({ from: at(12, 2, 3), to: at(12, 2, 3) }), 'miroir:12.2/3');
  assert.equal(formatStamp({ from: at(12, 2, 3), to: at(15) }), 'miroir:12.2/3-15');
  assert.equal(formatStamp({ from: at(12, 0, 2), to: at(12, 0, 2) }), 'miroir:12.0/2');
  assert.deepEqual(parseStamp('miroir:12'), { from: at(12), to: at(12) });
  assert.deepEqual(parseStamp('miroir:7.1/2-9.3/4'), { from: at(7, 1, 2), to: at(9, 3, 4) });
});

test('anything else is not a stamp', () => {
  for (const value of [undefined, null, 12, '', 'miroir:', 'miroir:0', 'miroir:12-11', 'miroir:12.3/4-12.1/4', 'miroir:1.2.3', 'Miroir:12',
    'miroir:12 ', 'miroir:-3', 'miroir:1e3', 'client batch 12', 'miroir:12-', 'miroir:9999999999999999', 'miroir:12.2', 'miroir:12.2/2',
    'miroir:12.0/1', 'miroir:12.1/']) {
    assert.equal(parseStamp(value), null, JSON.stringify(value));
  }
});

test('a seeded sweep of stamps round-trips', () => {
  const rng = seededRng(41);
  const int = (max: number) => rng.int(max);
  for (let i = 0; i < 2_000; i++) {
    const of = int(3) === 0 ? 2 + int(5) : 1;
    const from = at(1 + int(1e9), of === 1 ? 0 : int(of), of);
    const toOf = 1 + int(3);
    const to = int(2) === 0 ? from : at(from.logIndex + int(300), int(toOf), toOf);
    const stamp: Stamp = comparePositions(from, to) < 0 ? { from, to } : { from, to: from };
    assert.deepEqual(parseStamp(formatStamp(stamp)), stamp);
  }
});

test('positions order by entry, then by request', () => {
  assert.ok(comparePositions(at(3, 5, 6), at(4)) < 0);
  assert.ok(comparePositions(at(4, 1, 2), at(4, 0, 2)) > 0);
  assert.equal(comparePositions(at(4, 1, 2), at(4, 1, 3)), 0, 'the plan length is not an order');
});

test('only the documents routes are stamped (the ones Meilisearch takes customMetadata on)', () => {
  const yes = [
    ['POST', '/indexes/m/documents'], ['PUT', '/indexes/m/documents'], ['DELETE', '/indexes/m/documents'],
    ['POST', '/indexes/m/documents/delete'], ['POST', '/indexes/m/documents/delete-batch'], ['POST', '/indexes/a%2Fb/documents/edit'],
  ] as const;
  const no = [
    ['POST', '/indexes'], ['PATCH', '/indexes/m'], ['DELETE', '/indexes/m'], ['PATCH', '/indexes/m/settings'],
    ['POST', '/swap-indexes'], ['GET', '/indexes/m/documents'], ['POST', '/indexes/m/documents/fetch'],
  ] as const;
  for (const [method, path] of yes) assert.ok(stampable({ method, path }), `${method} ${path}`);
  for (const [method, path] of no) assert.ok(!stampable({ method, path }), `${method} ${path}`);
  assert.deepEqual(stampedQuery({ primaryKey: 'id' }, { from: at(3), to: at(3) }), { primaryKey: 'id', customMetadata: 'miroir:3' });
});
