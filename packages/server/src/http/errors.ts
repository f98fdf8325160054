import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, GatehouseError, statusOf } from '../shared/errors.js';
import { scrubSecrets } from '../telemetry/logger.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

// Fastify's own 4xx errors (parsing, limits) mapped to our vocabulary.
const FASTIFY_CODES: Record<string, { code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'request body is larger than the limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'unsupported Content-Type; send application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'invalid_json',
    message: 'body is empty but Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_request',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_BAD_URL: { code: 'invalid_path', message: 'the path is not valid (a malformed %-escape?)' },
};

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'invalid_path',
  415: 'unsupported_media_type',
};

export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/** The single place where thrown errors become HTTP answers. Unknown errors become an opaque 500. */
export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let status: number;
  let body: ErrorBody;
  if (err instanceof GatehouseError) {
    status = err.status;
    body = errorBody(err.code, err.message, err.details);
    if (err.headers) reply.headers(err.headers);
  } else {
    const fastifyError = err as FastifyError;
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    const fastifyStatus = fastifyError.statusCode;
    if (known) {
      status = statusOf(known.code);
      body = errorBody(known.code, known.message ?? 'invalid request');
    } else if (err instanceof SyntaxError || (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500)) {
      status = fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : 400;
      body = errorBody(CODE_OF_STATUS[status] ?? 'invalid_request', scrubSecrets(err.message));
    } else {
      status = 500;
      // Router errors arrive before the onRequest hook has set the trace; request.log carries
      // request_id and trace_id, so the line is found from the response's x-request-id.
      const traceId = request.trace?.traceId ?? 'unknown';
      body = errorBody('internal_error', `internal error (request ${request.id}, trace ${traceId})`);
      request.log.error(
        { err: { type: err.name, message: scrubSecrets(err.message), stack: err.stack } },
        'unhandled error',
      );
    }
  }
  if (status === 401 && !reply.hasHeader('www-authenticate'))
    reply.header('www-authenticate', 'Bearer realm="gatehouse"');
  // OAuth endpoints answer malformed requests in their protocol's shape (RFC 6749 §5.2).
  if (request.routeOptions?.config?.errorFormat === 'oauth' && status < 500) {
    const oauthCode = status === 401 ? 'invalid_client' : 'invalid_request';
    reply.code(status).type('application/json').send({
      error: oauthCode,
      error_description: body.error.message,
    });
    return;
  }
  reply.code(status).type('application/json').send(body);
}
