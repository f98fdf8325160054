import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createAccessLogger, createLogger } from '../../src/telemetry/logger.js';
import { LogCapture } from '../support/gatehouse.js';

describe('GATEHOUSE_LOG_FORMAT=pretty: readable lines for development, redacted like JSON ones', () => {
  it('prints human-readable lines (also for the access log) and never a secret', async () => {
    const out = new LogCapture();
    const log = createLogger({ level: 'info', format: 'pretty', destination: out });
    log.info(
      { userId: 'alice', refresh_token: 'rt-1234567890abcdef' },
      'refreshed with Bearer abcdefghijklmnop',
    );
    createAccessLogger(log).info(
      { route: '/v1/tools/:slug/execute', tool: 'github.issues.create' },
      'request',
    );

    await vi.waitFor(() => expect(out.text()).toContain('github.issues.create'));
    const text = out.text();
    expect(text).toContain('INFO');
    expect(text).toContain('refreshed with [REDACTED]');
    expect(text).toMatch(/userId: "alice"/);
    expect(text).toMatch(/route: "\/v1\/tools\/:slug\/execute"/);
    for (const line of out.lines) expect(() => JSON.parse(line)).toThrow();
    expect(text).not.toContain('rt-1234567890abcdef');
    expect(text).not.toContain('abcdefghijklmnop');
  });

  it('is json or pretty; anything else is a configuration error that names the variable', () => {
    expect(loadConfig({ GATEHOUSE_LOG_FORMAT: 'pretty' })).toMatchObject({
      ok: true,
      config: { logFormat: 'pretty' },
    });
    const bad = loadConfig({ GATEHOUSE_LOG_FORMAT: 'xml' });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain('GATEHOUSE_LOG_FORMAT');
  });
});
