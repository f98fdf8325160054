/** RFC 8288 `Link` header values: `<url>; rel="next"; title="a, b", <url2>; rel=last`. */
export type Link = { target: string; params: Map<string, string> };

/** A small tokenizer, not a regular expression: quoted parameters may hold `,` and `;`. */
export function parseLinkHeader(value: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  const skip = (chars: string) => {
    while (i < value.length && chars.includes(value[i] ?? '')) i++;
  };
  while (i < value.length) {
    skip(' \t,');
    if (value[i] !== '<') break;
    const end = value.indexOf('>', i);
    if (end < 0) break;
    const link: Link = { target: value.slice(i + 1, end), params: new Map() };
    i = end + 1;
    for (skip(' \t'); value[i] === ';'; skip(' \t')) {
      i++;
      skip(' \t');
      const name = readUntil(value, i, '=;,');
      i += name.length;
      let paramValue = '';
      if (value[i] === '=') {
        i++;
        skip(' \t');
        if (value[i] === '"') {
          const quoted = readQuoted(value, i);
          paramValue = quoted.text;
          i = quoted.end;
        } else {
          paramValue = readUntil(value, i, ';,');
          i += paramValue.length;
        }
      }
      // The first occurrence of a parameter wins (RFC 8288 §3.3 for rel).
      const key = name.trim().toLowerCase();
      if (key !== '' && !link.params.has(key)) link.params.set(key, paramValue.trim());
    }
    links.push(link);
  }
  return links;
}

/** The target of the first link with relation `rel`; rel may list several types (§3.3). */
export function linkTarget(value: string | undefined, rel: string): string | null {
  if (value === undefined) return null;
  for (const link of parseLinkHeader(value)) {
    const types = (link.params.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (types.includes(rel.toLowerCase())) return link.target;
  }
  return null;
}

function readUntil(value: string, from: number, stops: string): string {
  let end = from;
  while (end < value.length && !stops.includes(value[end] ?? '')) end++;
  return value.slice(from, end);
}

function readQuoted(value: string, from: number): { text: string; end: number } {
  let text = '';
  let i = from + 1;
  while (i < value.length && value[i] !== '"') {
    if (value[i] === '\\') i++;
    text += value[i] ?? '';
    i++;
  }
  return { text, end: i + 1 };
}
