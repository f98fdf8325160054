import type { ServerResponse } from 'node:http';
import { type Headers, sendEmpty, sendError, sendJson } from '../http/io.js';

/** What a Tasks API handler answers; written to the wire in one place (`sendReply`). */
export type ApiReply =
  | { kind: 'json'; status: number; body: unknown; headers?: Headers }
  | { kind: 'error'; status: number; error: string; description: string; headers?: Headers }
  | { kind: 'empty'; status: number; headers?: Headers }
  | { kind: 'bytes'; status: number; body: Buffer; contentType: string };

export const jsonReply = (status: number, body: unknown): ApiReply => ({ kind: 'json', status, body });

export const errorReply = (
  status: number,
  error: string,
  description: string,
  headers: Headers = {},
): ApiReply => ({
  kind: 'error',
  status,
  error,
  description,
  headers,
});

export const emptyReply = (status: number, headers: Headers = {}): ApiReply => ({
  kind: 'empty',
  status,
  headers,
});

export function sendReply(res: ServerResponse, reply: ApiReply): void {
  switch (reply.kind) {
    case 'json':
      sendJson(res, reply.status, reply.body, reply.headers);
      return;
    case 'error':
      sendError(res, reply.status, reply.error, reply.description, reply.headers);
      return;
    case 'empty':
      sendEmpty(res, reply.status, reply.headers);
      return;
    case 'bytes':
      res.writeHead(reply.status, {
        'content-type': reply.contentType,
        'content-length': reply.body.length,
        'cache-control': 'no-store',
      });
      res.end(reply.body);
      return;
  }
}
