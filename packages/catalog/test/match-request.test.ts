import { describe, expect, it } from 'vitest';
import { builtInToolkits, matchRequest, UNREADABLE_BODY } from '../src/index.js';

const acme = builtInToolkits().get('acme')!;
const tool = (slug: string) => acme.tools.find((t) => t.slug === slug)!;
const req = (method: string, path: string, query = '', body?: unknown) => ({
  method,
  path,
  query: new URLSearchParams(query),
  body,
});

describe('matchRequest: a raw request back to the arguments of the tool that makes it', () => {
  it('path parameters, typed query parameters and body fields become arguments', () => {
    expect(matchRequest(tool('acme.tasks.get'), req('GET', '/tasks/t%2F1'))).toEqual({
      kind: 'arguments',
      args: { id: 't/1' },
    });
    expect(matchRequest(tool('acme.tasks.list'), req('GET', '/tasks', 'limit=5&status=open'))).toEqual({
      kind: 'arguments',
      args: { limit: 5, status: 'open' },
    });
    expect(
      matchRequest(
        tool('acme.tasks.create'),
        req('POST', '/tasks', '', { title: 't', amount: 9999, extra: 1 }),
      ),
    ).toEqual({ kind: 'arguments', args: { title: 't', amount: 9999 } });
  });

  it('leans towards a match: case, a trailing slash and encoded unreserved characters do not hide a tool', () => {
    for (const path of ['/TASKS', '/tasks/', '/%74asks', '/Tasks/'])
      expect(matchRequest(tool('acme.tasks.create'), req('POST', path, '', {}))?.kind, path).toBe(
        'arguments',
      );
  });

  it('another method or path is not the tool; a body it cannot read is reported, not ignored', () => {
    expect(matchRequest(tool('acme.tasks.create'), req('GET', '/tasks'))).toBeUndefined();
    expect(matchRequest(tool('acme.tasks.get'), req('GET', '/tasks/a/b'))).toBeUndefined();
    expect(matchRequest(tool('acme.tasks.get'), req('GET', '/tasksx'))).toBeUndefined();
    expect(matchRequest(tool('acme.tasks.create'), req('POST', '/tasks', '', UNREADABLE_BODY))).toEqual({
      kind: 'unreadable',
    });
    expect(matchRequest(tool('acme.tasks.create'), req('POST', '/tasks', '', [1, 2]))).toEqual({
      kind: 'unreadable',
    });
  });
});
