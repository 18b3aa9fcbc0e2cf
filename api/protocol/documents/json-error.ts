// Turns a JSON.parse failure into a serde_json-like diagnostic
// (`expected value at line 1 column 2`): Meilisearch prints serde's message
// inside its malformed-payload errors, and clients show it to humans. The
// wording of V8 and serde differ; the position (line, column) is kept exact.

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

export function jsonSyntaxMessage(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (/Unexpected end of JSON input/.test(message) || !match) {
    const { line, column } = lineColumn(text, text.length);
    return `EOF while parsing a value at line ${line} column ${column - 1}`;
  }
  const { line, column } = lineColumn(text, Number(match[1]));
  return `expected value at line ${line} column ${column}`;
}
