// The wire codec of peer frames: msgpack both ways, with the size bound
// checked before a frame leaves (an oversized frame is refused at the
// sender) and the decoder of decoders.ts run on every frame that arrives.
// msgpackr's records extension is off so each frame is self-describing and
// two peers never need shared structure state.
import { Packr } from 'msgpackr';
import { OverloadedError } from '../../runtime/errors.ts';
import { decodePeerFrame, type DecodeResult } from './decoders.ts';
import type { PeerFrame } from './frames.ts';

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Encodes a frame; throws OverloadedError when it exceeds `frameBytesMax`. */
export function encodeFrame(frame: PeerFrame, frameBytesMax: number): Uint8Array {
  const bytes = packr.pack(frame);
  if (bytes.byteLength > frameBytesMax) throw new OverloadedError(`peer frame of ${bytes.byteLength} bytes (${frame.kind})`, frameBytesMax);
  return bytes;
}

export function decodeFrame(bytes: Uint8Array): DecodeResult {
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (error) {
    // msgpackr throws on malformed input; that is a peer's bad frame, refused below.
    return { ok: false, reason: `malformed msgpack: ${error instanceof Error ? error.message : String(error)}`.slice(0, 100) };
  }
  return decodePeerFrame(value);
}
