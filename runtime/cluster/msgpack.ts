// The one msgpack configuration for everything the cluster layer writes into
// the Raft log or a snapshot. Records (msgpackr's shared structures) are off:
// every payload must decode on its own, on any peer, in any order, and the same
// value must always encode to the same bytes.

import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false, mapsAsObjects: true });

export function packValue(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function unpackValue(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}
