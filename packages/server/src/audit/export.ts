/** The columns of a CSV export, in order (the fields of `GET /v1/audit` items; detail and delegation as JSON text). */
export const CSV_COLUMNS = [
  'id',
  'occurredAt',
  'kind',
  'executionId',
  'userId',
  'agentId',
  'tool',
  'provider',
  'connectedAccountId',
  'outcome',
  'errorCode',
  'upstreamStatus',
  'latencyMs',
  'attempts',
  'traceId',
  'delegation',
  'seq',
  'hash',
  'detail',
] as const;

/** One CSV record (RFC 4180): fields holding a comma, quote, CR or LF are quoted, quotes doubled. */
export function csvLine(fields: readonly unknown[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
