import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Context, OpenAPIBackend } from 'openapi-backend';
import { sample } from 'openapi-sampler';

export type MockAnswer = {
  status: number;
  body: unknown;
  operationId?: string | undefined;
  errors?: unknown;
  /** Response headers besides content-type (GitHub's `Link` for the next page). */
  headers?: Record<string, string>;
};

/**
 * A loopback HTTP upstream per OpenAPI slice: openapi-backend routes each request to its operation,
 * validates path, query, headers and body against it (refusing with 400 and the validator's
 * errors), and answers with a response mocked from the operation's first 2xx response schema. The
 * first path segment picks the slice: `/<toolkit id>/<path in the document>`.
 */
export class OpenApiMockUpstream {
  readonly #backends = new Map<string, Promise<OpenAPIBackend>>();
  readonly #slices = new Map<string, Record<string, unknown>>();
  readonly #handlers = new Map<string, Record<string, MockHandler>>();
  #server: Server | undefined;
  #base = '';

  /** `handlers` (by operationId) answer instead of the sampled mock: a stateful upstream for scenarios. */
  add(id: string, slice: Record<string, unknown>, handlers: Record<string, MockHandler> = {}): void {
    this.#slices.set(id, slice);
    this.#handlers.set(id, handlers);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      this.#answer(req).then(
        (answer) => {
          res.writeHead(answer.status, {
            'content-type': 'application/json',
            ...(answer.operationId ? { 'x-operation-id': answer.operationId } : {}),
            ...answer.headers,
          });
          const failed = answer.status >= 300;
          if (!failed && answer.body === undefined) res.end();
          else res.end(JSON.stringify(failed ? { error: answer.body, errors: answer.errors } : answer.body));
        },
        (cause: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(cause) }));
        },
      );
    });
    // Some cases sample and validate for several seconds (Sheets batchUpdate) while fetch keeps its
    // pooled socket; Node's default 5 s keep-alive closes it under the next request (UND_ERR_SOCKET).
    this.#server.keepAliveTimeout = 60_000;
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#base;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.close();
    await once(server, 'close');
  }

  async #answer(req: IncomingMessage): Promise<MockAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const slash = url.indexOf('/', 1);
    const id = url.slice(1, slash === -1 ? undefined : slash);
    const path = slash === -1 ? '/' : url.slice(slash);
    const contentType = String(req.headers['content-type'] ?? '');
    const api = await this.#backend(id, FORM.test(contentType));
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
    );
    const request = { method: req.method ?? 'GET', path, headers };
    let body: unknown;
    if (raw !== '' && FORM.test(contentType)) {
      const operation = api.router.matchOperation(request);
      body = decodeForm(raw, formSchema(operation?.requestBody));
    } else if (raw !== '') body = parseJson(raw);
    return (await api.handleRequest({ ...request, body })) as MockAnswer;
  }

  #backend(id: string, form: boolean): Promise<OpenAPIBackend> {
    const key = `${id}${form ? ':form' : ''}`;
    let backend = this.#backends.get(key);
    if (!backend) {
      const definition = this.#slices.get(id);
      if (!definition) throw new Error(`no slice ${id}`);
      // A copy: openapi-backend dereferences the document it is given in place.
      const api = new OpenAPIBackend({
        definition: withoutScalarExplode(withoutTypelessNullable(structuredClone(definition))) as never,
        quick: true,
        coerceTypes: true,
        // Nested form values (deepObject: items[0][quantity]=2) are text too; the server reads them as
        // their schema says, as coerceTypes does for parameters. JSON bodies stay strict.
        customizeAjv: (ajv, _opts, context) => {
          if (form && context === 'requestBodyValidator')
            (ajv.opts as { coerceTypes?: unknown }).coerceTypes = true;
          return ajv;
        },
        handlers: {
          validationFail: (c: Context) => ({
            status: 400,
            body: 'request does not match the operation',
            operationId: c.operation?.operationId,
            errors: c.validation.errors,
          }),
          notFound: () => ({ status: 404, body: 'no operation for this method and path' }),
          methodNotAllowed: () => ({ status: 405, body: 'method not allowed for this path' }),
          notImplemented: (c: Context) => mockAnswer(c),
        },
      });
      for (const [operationId, handler] of Object.entries(this.#handlers.get(id) ?? {}))
        api.register(operationId, (c: Context) => checkedAnswer(c, handler(c)));
      backend = api.init().then((ready) => {
        patchPathParams(ready);
        return ready;
      });
      this.#backends.set(key, backend);
    }
    return backend;
  }
}

/** Answers a handler for one operation from the request openapi-backend validated and parsed. */
export type MockHandler = (c: Context) => MockAnswer;

/** A handler's answer must fit the operation's response schema too: a mismatch is a 500 naming it. */
function checkedAnswer(c: Context, answer: MockAnswer): MockAnswer {
  const valid = c.api.validateResponse(answer.body, c.operation, answer.status);
  if (valid.errors && valid.errors.length > 0)
    return { status: 500, body: 'mock answer does not match the response schema', errors: valid.errors };
  return { ...answer, operationId: c.operation.operationId };
}

/**
 * The operation's first 2xx response, sampled from its JSON schema by openapi-sampler (every
 * property, schema-level examples and enums first). openapi-backend's own mockResponseForOperation
 * prefers media-type `examples`, and returns GitHub's Example Objects unwrapped (with their `x-`
 * keys) instead of their values, so the schema is the more faithful source here.
 */
export function mockAnswer(c: Context): MockAnswer {
  const operation = c.operation;
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
  // 2XX is a range (OpenAPI 3.0 §4.7.16.2; Microsoft Graph uses it throughout): answered as 200.
  const code = Object.keys(responses)
    .filter((k) => /^2(\d\d|XX)$/i.test(k))
    .sort()[0];
  if (code === undefined) return { status: 200, body: undefined, operationId: operation.operationId };
  const content = responses[code]?.content ?? {};
  const media = Object.keys(content).find((m) => /^application\/(?:[\w.-]+\+)?json/i.test(m));
  const schema = media === undefined ? undefined : (content[media] as { schema?: unknown }).schema;
  const body =
    schema === undefined
      ? undefined
      : sample(schema as never, { skipWriteOnly: true, quiet: true }, c.api.definition as never);
  return { status: /^\d+$/.test(code) ? Number(code) : 200, body, operationId: operation.operationId };
}

const FORM = /^application\/x-www-form-urlencoded/i;

function formSchema(requestBody: unknown): Record<string, { type?: unknown }> {
  const content = (requestBody as { content?: Record<string, { schema?: { properties?: unknown } }> })
    ?.content;
  const media = Object.keys(content ?? {}).find((m) => FORM.test(m));
  const properties = media === undefined ? undefined : content?.[media]?.schema?.properties;
  return (properties ?? {}) as Record<string, { type?: unknown }>;
}

/**
 * A form body as the object the operation's schema describes. Form values are text on the wire
 * (WHATWG URL-encoded form data); OpenAPI types them through the schema, so booleans and numbers
 * are decoded by the declared type before validation, as a server decoding the form would.
 */
function decodeForm(raw: string, properties: Record<string, { type?: unknown }>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, text] of new URLSearchParams(raw)) {
    if (key.includes('[')) {
      setBracketed(decoded, key, text);
      continue;
    }
    const type = properties[key]?.type;
    if (type === 'boolean' && (text === 'true' || text === 'false')) decoded[key] = text === 'true';
    else if ((type === 'number' || type === 'integer') && text.trim() !== '' && !Number.isNaN(Number(text)))
      decoded[key] = Number(text);
    else decoded[key] = text;
  }
  return decoded;
}

/** A deepObject key (Stripe: metadata[order], items[0][price]) nests; numeric segments make arrays. */
function setBracketed(target: Record<string, unknown>, key: string, text: string): void {
  const path = key.split(/\[|\]\[|\]$/).filter((part, i) => i === 0 || part !== '');
  let node = target;
  path.forEach((part, i) => {
    if (i === path.length - 1) node[part] = text;
    else {
      node[part] ??= /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
      node = node[part] as Record<string, unknown>;
    }
  });
}

/**
 * A JSON body. openapi-backend parses a non-object body once more: a JSON string body ("x", Jira's
 * add-watcher accountId) is handed over as its text so that second parse gives the string.
 */
function parseJson(raw: string): unknown {
  const parsed: unknown = JSON.parse(raw);
  return parsed !== null && typeof parsed === 'object' ? parsed : raw;
}

/**
 * OpenAPI 3.0.3 §4.7.25.1: `nullable` "adds null to the allowed types specified by the type keyword,
 * only if type is explicitly defined"; without `type` it has no effect. Ajv refuses it instead
 * (GitHub's document has `nullable` next to `oneOf`), so it is dropped where it means nothing.
 */
function withoutTypelessNullable<T>(node: T): T {
  if (Array.isArray(node)) for (const item of node) withoutTypelessNullable(item);
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if ('nullable' in record && typeof record['nullable'] === 'boolean' && !('type' in record))
      delete record['nullable'];
    for (const value of Object.values(record)) withoutTypelessNullable(value);
  }
  return node;
}

/**
 * openapi-backend reads path parameters with bath-es5, which puts the template's literal parts into
 * a regular expression unescaped: Microsoft Graph's function segments such as
 * `/microsoft.graph.search(q='{q}')` or `/microsoft.graph.recent()` then capture the wrong groups and
 * no parameter is found (its router, which escapes them, still matches). Where that happens, the
 * parameters are read again with the literals escaped.
 */
function patchPathParams(api: OpenAPIBackend): void {
  const router = api.router;
  const parse = router.parseRequest.bind(router);
  router.parseRequest = (req, operation) => {
    const parsed = parse(req, operation);
    if (!operation || Object.keys(parsed.params).length > 0 || !operation.path.includes('{')) return parsed;
    const names: string[] = [];
    const pattern = operation.path
      .split(/\{([^}]+)\}/)
      .map((part, i) => {
        if (i % 2 === 1) {
          names.push(part);
          return '([^/]*)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    const match = new RegExp(`^${pattern}$`).exec(router.normalizePath(parsed.path));
    if (!match) return parsed;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]));
    return { ...parsed, params };
  };
}

/**
 * `explode` only changes how arrays and objects are serialised (OpenAPI 3.0.3 §4.7.12.1), but
 * openapi-backend splits any `explode: false` query value on commas into an array, so Graph's
 * `$top=5` would fail as "must be integer". Dropped where the schema is a scalar.
 */
function withoutScalarExplode<T>(node: T): T {
  if (Array.isArray(node)) for (const item of node) withoutScalarExplode(item);
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const schema = record['schema'] as Record<string, unknown> | undefined;
    if (
      record['in'] === 'query' &&
      record['explode'] === false &&
      schema &&
      schema['type'] !== 'array' &&
      schema['type'] !== 'object'
    )
      delete record['explode'];
    for (const value of Object.values(record)) withoutScalarExplode(value);
  }
  return node;
}
