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
  #server: Server | undefined;
  #base = '';

  add(id: string, slice: Record<string, unknown>): void {
    this.#slices.set(id, slice);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      this.#answer(req).then(
        (answer) => {
          res.writeHead(answer.status, {
            'content-type': 'application/json',
            ...(answer.operationId ? { 'x-operation-id': answer.operationId } : {}),
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
    const api = await this.#backend(id, contentType.startsWith('application/x-www-form-urlencoded'));
    const body = raw === '' ? undefined : parseBody(raw, contentType);
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
    );
    return (await api.handleRequest({ method: req.method ?? 'GET', path, headers, body })) as MockAnswer;
  }

  #backend(id: string, form: boolean): Promise<OpenAPIBackend> {
    const key = `${id}${form ? ':form' : ''}`;
    let backend = this.#backends.get(key);
    if (!backend) {
      const definition = this.#slices.get(id);
      if (!definition) throw new Error(`no slice ${id}`);
      // A copy: openapi-backend dereferences the document it is given in place.
      const api = new OpenAPIBackend({
        definition: withoutTypelessNullable(structuredClone(definition)) as never,
        quick: true,
        coerceTypes: true,
        // A form body carries every value as text; the server reads numbers and booleans as its schema
        // says (Stripe's amount=2000), as coerceTypes does for parameters. JSON bodies stay strict.
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
      backend = api.init();
      this.#backends.set(key, backend);
    }
    return backend;
  }
}

/**
 * The operation's first 2xx response, sampled from its JSON schema by openapi-sampler (every
 * property, schema-level examples and enums first). openapi-backend's own mockResponseForOperation
 * prefers media-type `examples`, and returns GitHub's Example Objects unwrapped (with their `x-`
 * keys) instead of their values, so the schema is the more faithful source here.
 */
function mockAnswer(c: Context): MockAnswer {
  const operation = c.operation;
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
  const code = Object.keys(responses)
    .filter((k) => /^2\d\d$/.test(k))
    .sort()[0];
  if (code === undefined) return { status: 200, body: undefined, operationId: operation.operationId };
  const content = responses[code]?.content ?? {};
  const media = Object.keys(content).find((m) => /^application\/(?:[\w.-]+\+)?json/i.test(m));
  const schema = media === undefined ? undefined : (content[media] as { schema?: unknown }).schema;
  const body =
    schema === undefined
      ? undefined
      : sample(schema as never, { skipWriteOnly: true, quiet: true }, c.api.definition as never);
  return { status: Number(code), body, operationId: operation.operationId };
}

/**
 * JSON, or a form body as the object of its fields (Slack's Web API); bracketed keys nest, as a
 * deepObject-style server reads them (Stripe: metadata[order]=7, items[0][price]=p).
 */
function parseBody(raw: string, contentType: string): unknown {
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return JSON.parse(raw);
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const [head = key, ...rest] = key.split(/\[|\]\[|\]$/).filter((part, i) => i === 0 || part !== '');
    if (!key.includes('[')) {
      out[key] = value;
      continue;
    }
    let node: Record<string, unknown> = out;
    const path = [head, ...rest];
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1] ?? '') ? [] : {}) as Record<string, unknown>;
    });
  }
  return out;
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
