// CSV documents as Meilisearch reads them (meilisearch-types
// document_formats.rs): the header names the fields, a `:number`, `:boolean`
// or `:string` suffix types a column (split on the last `:`; an unknown suffix
// keeps the whole header as a string field), empty cells become null, and a
// bad number or boolean is a malformed payload naming its line.
import { MeiliError } from '../../errors/registry.ts';
import type { Document } from './document.ts';

type ColumnType = 'string' | 'number' | 'boolean';

function parseHeader(header: string): { name: string; type: ColumnType } {
  const at = header.lastIndexOf(':');
  if (at >= 0) {
    const suffix = header.slice(at + 1);
    if (suffix === 'string' || suffix === 'number' || suffix === 'boolean') {
      return { name: header.slice(0, at), type: suffix };
    }
  }
  return { name: header, type: 'string' };
}

/** Splits CSV text into records (RFC 4180 quoting, `\n` or `\r\n` line ends). */
function csvRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === delimiter) { record.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { endRecord(); i += 2; continue; }
    if (c === '\n') { endRecord(); i++; continue; }
    field += c;
    i++;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

function malformed(detail: string): MeiliError {
  return new MeiliError('malformed_payload', `The \`csv\` payload provided is malformed: \`${detail}\`.`);
}

function cellValue(raw: string, type: ColumnType, line: number): unknown {
  const trimmed = raw.trim();
  if (type === 'string') return raw === '' ? null : raw;
  if (trimmed === '') return null;
  if (type === 'boolean') {
    if (trimmed === 'true') return true;
    if (trimmed === 'false') return false;
    throw malformed(`Error parsing boolean "${raw}" at line ${line}: provided string was not \`true\` or \`false\``);
  }
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) || /^[+-]?(inf|infinity|nan)$/i.test(trimmed)
    ? Number(trimmed) : Number.NaN;
  if (Number.isNaN(n) || !Number.isFinite(n)) {
    throw malformed(`Error parsing number "${raw}" at line ${line}: invalid float literal`);
  }
  return n;
}

export function parseCsv(text: string, delimiter: string): Document[] {
  const records = csvRecords(text, delimiter);
  const header = records[0];
  if (!header) return [];
  const columns = header.map(parseHeader);
  const docs: Document[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as string[];
    if (record.length !== columns.length) {
      throw malformed(`CSV error: record ${r} (line: ${r + 1}, byte: 0): found record with ${record.length} fields, but the previous record has ${columns.length} fields`);
    }
    const doc: Document = {};
    columns.forEach((col, i) => {
      doc[col.name] = cellValue(record[i] as string, col.type, r);
    });
    docs.push(doc);
  }
  return docs;
}
