import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are secrets wherever they appear (one and two levels deep). Logging code
 * never passes headers or bodies, so these are a second line of defence; the pattern scrubber is the third.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'masterKey',
  'codeVerifier',
  'code_verifier',
];

// Two levels cover what a log call could carry (`{ err: { token } }`, `{ req: { headers } }`);
// redaction runs on every line, so the list stays short.
const REDACT_PATHS = [
  ...SECRET_FIELDS.map((f) => `["${f}"]`),
  ...SECRET_FIELDS.map((f) => `*["${f}"]`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

// Shapes of credentials that must never be written even if they arrive inside a free-text message.
const SECRET_PATTERNS: RegExp[] = [
  /gth_[a-z]+_[A-Za-z0-9_]{12,}/g, // Gatehouse API keys, admin and session tokens
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return out;
}

/**
 * The access log: one line per request, made only of fields that cannot hold a secret (ids Gatehouse
 * minted or validated, the method, the route pattern, status, duration). It writes to the same
 * destination as `log` but skips redaction and the pattern scrubber, which would otherwise run on
 * every request for nothing. Never give it a header, a body, a query string or an error message.
 */
export function createAccessLogger(log: Logger): Logger {
  const shared = (log as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym];
  const destination = (shared && BATCHED.get(shared)) ?? shared;
  return pino(
    {
      level: log.level,
      base: log.bindings(),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  name?: string;
  /** `pretty`: coloured, human-readable lines for development; the same fields, redacted the same way. */
  format?: 'json' | 'pretty';
}): Logger {
  return pino(
    {
      name: options.name ?? 'gatehouse',
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: scrubSecrets },
    },
    options.format === 'pretty' ? pretty(options.destination ?? 1) : (options.destination ?? stdout()),
  );
}

/** The batched way into a destination, where it has one (stdout: access log lines). */
const BATCHED = new WeakMap<DestinationStream, DestinationStream>();

/**
 * stdout, gathered. Written a line at a time, every request's access line would cost a system call
 * (or, asynchronous, a hand-off to libuv's thread pool), more than the rest of the line; so access lines
 * gather up to 4 KiB or 100 ms per write. Every other line is written at once, with what is gathered
 * before it, so order holds and a warning is never held back. The writes are synchronous: an
 * asynchronous one still in flight at exit raced pino's final synchronous flush, and the lines after
 * it reached stdout first. pino writes what is gathered at exit; a kill -9 loses at most the last
 * 100 ms of access lines. As with pino's default destination, a reader that stops draining stdout
 * stalls the process once the pipe is full.
 */
function stdout(): DestinationStream {
  const out = pino.destination({ dest: 1, sync: true, minLength: 4096 });
  let armed = false;
  const later = () => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      armed = false;
      out.flush();
    }, 100).unref();
  };
  const immediate: DestinationStream = {
    write(line: string) {
      out.write(line);
      out.flush();
    },
  };
  BATCHED.set(immediate, {
    write(line: string) {
      out.write(line);
      later();
    },
  });
  return immediate;
}

/**
 * pino-pretty as an in-process stream (no worker thread): loaded only when asked for, so JSON
 * deployments never pay for it. Lines reach it already redacted and scrubbed (`streamWrite`).
 */
function pretty(destination: DestinationStream | number): DestinationStream {
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as (options: {
    colorize: boolean;
    translateTime: string;
    ignore: string;
    destination: DestinationStream | number;
  }) => DestinationStream;
  return prettyStream({
    colorize: destination === 1 && process.stdout.isTTY === true,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,name',
    destination,
  });
}
