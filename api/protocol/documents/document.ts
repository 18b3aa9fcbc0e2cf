// A document as a client sends it: a JSON object. Nested values are kept
// as sent; only the primary key path is ever read by the protocol layer.
export type Document = Record<string, unknown>;
