import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRequest,
  compileArgumentValidator,
  encodeBody,
  getBuiltInProvider,
  getBuiltInTool,
  shapeOutput,
  type ToolDefinition,
  toolkitProviderMismatch,
} from '../src/index.js';
import { importConfigFiles, readSlice } from '../src/openapi/generate.js';
import { OpenApiMockUpstream } from './support/openapi-mock.js';

// Realistic calls (what a model would send) through the Google and Slack toolkits, against the
// same mock upstream as toolkits-openapi.test.ts: the request must be one the document allows.

const upstream = new OpenApiMockUpstream();
let base = '';
beforeAll(async () => {
  for (const file of importConfigFiles()) {
    const id = file.pathname.split('/').at(-1)!.replace('.import.json', '');
    upstream.add(id, readSlice(file));
  }
  base = await upstream.start();
});
afterAll(() => upstream.stop());

function tool(slug: string): ToolDefinition {
  const found = getBuiltInTool(slug);
  if (!found) throw new Error(`${slug} is not shipped`);
  return found.tool;
}

/** Validates, builds and sends a call; `strip` is the part of the path the document's server holds. */
async function call(
  slug: string,
  args: Record<string, unknown>,
  strip = '',
  headers: Record<string, string> = {},
) {
  const t = tool(slug);
  const valid = compileArgumentValidator(t)(args);
  if (!valid.ok) throw new Error(valid.error.message);
  const built = buildRequest(t, args);
  if (!built.ok) throw new Error(built.error.message);
  const toolkit = slug.split('.')[0]!;
  const res = await fetch(`${base}/${toolkit}${built.value.path.slice(strip.length)}`, {
    method: built.value.method,
    headers: { ...built.value.headers, ...headers },
    body: encodeBody(built.value) ?? null,
  });
  const text = await res.text();
  return { request: built.value, status: res.status, text, operationId: res.headers.get('x-operation-id') };
}

describe('Gmail', () => {
  it('sends a base64url RFC 2822 message as the user (me), with raw kept out of audit', async () => {
    const mime = 'To: ana@example.com\r\nSubject: Lunch?\r\n\r\nTomorrow at 12:30? ~ óé';
    const raw = Buffer.from(mime).toString('base64url');
    expect(raw).toMatch(/[-_]/); // base64url characters, which format byte would have refused
    const sent = await call('gmail.messages.send', { raw });
    expect(sent.request.path).toBe('/gmail/v1/users/me/messages/send');
    expect(sent.request.body).toEqual({ raw });
    expect([sent.status, sent.operationId]).toEqual([200, 'gmail.users.messages.send']);
    expect(tool('gmail.messages.send').sensitiveArguments).toEqual(['raw']);
    expect(compileArgumentValidator(tool('gmail.messages.send'))({}).ok).toBe(false);
  });

  it('searches with Gmail query syntax and pages with pageToken / nextPageToken', async () => {
    const list = await call('gmail.messages.list', {
      q: 'from:ana@example.com is:unread',
      labelIds: ['INBOX'],
    });
    expect(list.request.path).toBe(
      '/gmail/v1/users/me/messages?labelIds=INBOX&q=from%3Aana%40example.com%20is%3Aunread',
    );
    expect(list.status).toBe(200);
    const shaped = shapeOutput(tool('gmail.messages.list'), JSON.parse(list.text), {});
    expect(shaped.nextCursor).toBeTypeOf('string');
    expect(tool('gmail.messages.list').pagination).toEqual({
      style: 'cursor',
      cursorArg: 'pageToken',
      nextCursorPath: 'nextPageToken',
    });
  });
});

describe('Google Calendar', () => {
  it('creates a timed event with attendees under /calendar/v3 and declares event records', async () => {
    const created = await call(
      'google_calendar.events.create',
      {
        calendarId: 'primary',
        summary: 'Design review',
        start: { dateTime: '2026-12-04T15:00:00+01:00' },
        end: { dateTime: '2026-12-04T16:00:00+01:00' },
        attendees: [{ email: 'ana@example.com' }],
        sendUpdates: 'all',
      },
      '/calendar/v3',
    );
    expect(created.request.path).toBe('/calendar/v3/calendars/primary/events?sendUpdates=all');
    expect([created.status, created.operationId]).toEqual([200, 'calendar.events.insert']);
    const shaped = shapeOutput(tool('google_calendar.events.create'), JSON.parse(created.text), {});
    expect(shaped.data).toHaveProperty('organizerEmail');
    expect(tool('google_calendar.events.list').records?.attributes).toMatchObject({ visibility: 'String?' });
    expect(tool('google_calendar.events.list').scopes).toEqual([
      'https://www.googleapis.com/auth/calendar.events.readonly',
    ]);
  });

  it('refuses an event without start and end before any request', () => {
    const refused = compileArgumentValidator(tool('google_calendar.events.create'))({
      calendarId: 'primary',
    });
    expect(!refused.ok && refused.error.message).toContain("must have required property 'start'");
  });
});

describe('Google Drive', () => {
  it('asks Drive for the fields its output picks (Drive v3 answers id/name/mimeType otherwise)', async () => {
    const found = await call(
      'google_drive.files.search',
      { q: "name contains 'budget' and trashed = false" },
      '/drive/v3',
    );
    expect(found.request.path).toMatch(
      /^\/drive\/v3\/files\?fields=nextPageToken%2CincompleteSearch%2Cfiles%28id%2Cname/,
    );
    expect(found.status).toBe(200);
    const shaped = shapeOutput(tool('google_drive.files.search'), JSON.parse(found.text), {});
    expect(shaped.data).toEqual([expect.objectContaining({ ownedByMe: true, shared: true })]);
    expect(Object.keys(tool('google_drive.files.search').input.properties)).not.toContain('fields');
  });

  it('creates a folder with a JSON File body (restored from the discovery document)', async () => {
    const folder = await call(
      'google_drive.files.create',
      { name: 'Reports', mimeType: 'application/vnd.google-apps.folder' },
      '/drive/v3',
    );
    expect(folder.request.body).toEqual({ name: 'Reports', mimeType: 'application/vnd.google-apps.folder' });
    expect([folder.status, folder.operationId]).toEqual([200, 'drive.files.create']);
  });
});

describe('Google Sheets', () => {
  it('appends rows on sheets.googleapis.com, with a quoted sheet name in the range', async () => {
    const appended = await call('google_sheets.values.append', {
      spreadsheetId: '1qpyC0XzvTcKT6EISywvqESX3A0MwQoFDE8p-Bll4hps',
      range: "'My Sheet'!A:D",
      valueInputOption: 'USER_ENTERED',
      values: [['Ana', 42, '=B2*2']],
    });
    expect(appended.request.path).toBe(
      "/v4/spreadsheets/1qpyC0XzvTcKT6EISywvqESX3A0MwQoFDE8p-Bll4hps/values/'My%20Sheet'!A%3AD:append?valueInputOption=USER_ENTERED",
    );
    expect([appended.status, appended.operationId]).toEqual([200, 'sheets.spreadsheets.values.append']);
  });

  it('may only call a base URL the provider vouches for', () => {
    const found = getBuiltInTool('google_sheets.values.get')!;
    const google = getBuiltInProvider('google')!;
    expect(found.toolkit.baseUrl).toBe('https://sheets.googleapis.com');
    expect(toolkitProviderMismatch(found.toolkit, google)).toBeUndefined();
    const elsewhere = { ...found.toolkit, baseUrl: 'https://attacker.example' };
    expect(toolkitProviderMismatch(elsewhere, google)).toBe(
      "baseUrl: https://attacker.example is not one of google's api.additionalBaseUrls",
    );
  });
});

describe('Slack', () => {
  it('posts a message as a form body and reads the thread with a string timestamp', async () => {
    const posted = await call(
      'slack.chat.post_message',
      { channel: 'C0123ABCD', text: 'Deploy done :rocket: <@U0456>', thread_ts: '1503435956.000240' },
      '',
      { token: 'x' },
    );
    expect(posted.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(encodeBody(posted.request)).toBe(
      'channel=C0123ABCD&text=Deploy+done+%3Arocket%3A+%3C%40U0456%3E&thread_ts=1503435956.000240',
    );
    expect([posted.status, posted.operationId]).toEqual([200, 'chat_postMessage']);
    const replies = await call('slack.conversations.replies', {
      channel: 'C0123ABCD',
      ts: '1503435956.000240',
    });
    expect(replies.request.path).toBe('/conversations.replies?channel=C0123ABCD&ts=1503435956.000240');
    expect(replies.status).toBe(200);
  });

  it('pages with cursor and response_metadata.next_cursor, and has no token argument', async () => {
    const listed = await call('slack.conversations.list', {
      types: 'public_channel,private_channel',
      limit: 200,
    });
    const shaped = shapeOutput(tool('slack.conversations.list'), JSON.parse(listed.text), {});
    expect(shaped.nextCursor).toBeTypeOf('string');
    for (const slug of ['slack.chat.post_message', 'slack.conversations.list', 'slack.auth.test'])
      expect(Object.keys(tool(slug).input.properties)).not.toContain('token');
  });
});
