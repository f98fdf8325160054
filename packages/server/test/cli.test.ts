import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createRuntime } from '../src/runtime.js';
import { LocalKms } from '../src/vault/kms.js';
import { Vault } from '../src/vault/vault.js';
import { createScratchPostgres, TEST_DATABASE_URL } from './support/databases.js';
import { freePort } from './support/gatehouse.js';

const CLI = new URL('../bin/gatehouse.mjs', import.meta.url).pathname;
const binding = { table: 'connected_accounts', rowId: 'ca_x', purpose: 'credentials' };

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** `gatehouse start` as an operator runs it, left running until `stop()`. */
function startGatehouse(args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start', ...args], {
    env: { PATH: process.env.PATH ?? '', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    out: () => out,
    async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    },
    async stop(): Promise<void> {
      if (child.exitCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

/**
 * The README's shell blocks, in order: which variables each block sets (`export A=… B=…`, `A=$(…)`)
 * and which it uses (`$A`, `${A}`), so a test can check a newcomer's copy-paste works.
 */
function readmeShell(): Array<{ sets: string[]; uses: string[] }> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => {
    const code = block!.replace(/#.*$/gm, '').replace(/'[^']*'/g, "''"); // comments and '…' expand nothing
    return {
      sets: [...code.matchAll(/(?:^|\s|export\s+)([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!),
      uses: [...code.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!),
    };
  });
}

async function runtimeFor(env: Record<string, string>) {
  const loaded = loadConfig({ GATEHOUSE_LOG_LEVEL: 'silent', ...env });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const created = await createRuntime(loaded.config);
  if (!created.ok) throw new Error(created.error);
  return created.runtime;
}

describe('gatehouse CLI', () => {
  it('creates a project whose key survives a restart of the embedded database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    const created = await cli(['projects', 'create', 'Acme Agents'], { GATEHOUSE_DATA_DIR: dataDir });
    expect(created.code, created.out).toBe(0);
    const key = /API key \(shown once\): (gth_sk_\S+)/.exec(created.out)?.[1];
    expect(key).toBeDefined();
    expect(readFileSync(join(dataDir, 'master.key'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    const rt = await runtimeFor({ GATEHOUSE_DATA_DIR: dataDir });
    const auth = await rt.apiKeys.authenticate(key!);
    expect(auth.ok).toBe(true);
    const projects = await rt.projects.list({ limit: 10 });
    expect(projects.items.map((p) => p.name)).toEqual(['Acme Agents']);
    // Its trail starts with who minted the first key, as over REST and in the console.
    const { rows } = await rt.db.query<{ kind: string; detail: Record<string, unknown> }>(
      'SELECT kind, detail FROM audit_events WHERE project_id = $1',
      [projects.items[0]!.id],
    );
    expect(rows).toMatchObject([{ kind: 'admin.api_key.created', detail: { apiKeyId: 'cli', via: 'cli' } }]);
    await rt.close();
  });

  it('rotates the master key in the key file; data written before stays readable with only the new key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    const rt = await runtimeFor({ GATEHOUSE_DATA_DIR: dataDir });
    const project = await rt.projects.create('p');
    const ct = await rt.vault.encrypt(project.id, binding, 'refresh-token-value');
    await rt.close();

    const rotated = await cli(['keys', 'rotate', '--data-keys'], { GATEHOUSE_DATA_DIR: dataDir });
    expect(rotated.code, rotated.out).toBe(0);
    expect(rotated.out).toMatch(/re-wrapped 1 of 1 data keys/);
    const keys = readFileSync(join(dataDir, 'master.key'), 'utf8').trim().split('\n');
    expect(keys).toHaveLength(2);

    const onlyNew = await runtimeFor({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_MASTER_KEY: keys[0]! });
    expect(await onlyNew.vault.decrypt(project.id, binding, ct)).toEqual({
      ok: true,
      value: 'refresh-token-value',
    });
    const fresh = await onlyNew.vault.encrypt(project.id, binding, 'after');
    expect(fresh.split('.')[1]).not.toBe(ct.split('.')[1]);
    await onlyNew.close();
  });

  it('refuses to start in production without a master key, and rejects a malformed one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    const prod = await cli(['start'], {
      GATEHOUSE_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      GATEHOUSE_PORT: '0',
    });
    expect(prod.code).toBe(1);
    expect(prod.out).toMatch(/NODE_ENV=production requires GATEHOUSE_MASTER_KEY/);
    const bad = await cli(['migrate'], { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_MASTER_KEY: 'dG9vIHNob3J0' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/not base64 of exactly 32 bytes/);
    const usage = await cli(['projects', 'create'], { GATEHOUSE_DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/Usage: gatehouse/);
  });

  it('npm start prints the admin token it generated, never one the operator set', {
    timeout: 120_000,
  }, async () => {
    const generated = startGatehouse([], {
      GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-cli-')),
      GATEHOUSE_PORT: String(await freePort()),
    });
    try {
      const banner = await generated.waitFor(/admin token .*\n/);
      expect(/admin token (gth_admin_\S+)/.exec(banner)?.[1]).toBeDefined();
    } finally {
      await generated.stop();
    }
    const own = `gth_admin_${'o'.repeat(40)}`;
    const configured = startGatehouse([], {
      GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-cli-')),
      GATEHOUSE_PORT: String(await freePort()),
      GATEHOUSE_ADMIN_TOKEN: own,
    });
    try {
      const banner = await configured.waitFor(/admin token .*\n/);
      expect(banner).toMatch(/admin token \(set by GATEHOUSE_ADMIN_TOKEN\)/);
      expect(banner).not.toContain(own);
    } finally {
      await configured.stop();
    }
  });

  it('README: every variable a shell command uses is set by an earlier command', () => {
    const set = new Set<string>();
    const unset: string[] = [];
    for (const block of readmeShell()) {
      for (const name of block.sets) set.add(name);
      unset.push(...block.uses.filter((name) => !set.has(name)));
    }
    expect(unset).toEqual([]);
  });

  it('npm start is not ready until the sandbox provider is registered', async () => {
    const port = await freePort();
    const sandboxPort = await freePort();
    const gatehouse = startGatehouse(['--sandbox'], {
      GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-cli-')),
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_SANDBOX_PORT: String(sandboxPort),
    });
    try {
      const readyz = async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
        } catch {
          return 0; // not listening yet
        }
      };
      const seen = new Set<number>();
      let status = 0;
      while (status !== 200) {
        status = await readyz();
        seen.add(status);
        if (gatehouse.out().includes('gatehouse:')) throw new Error(gatehouse.out());
        if (status !== 200) await new Promise((r) => setTimeout(r, 10));
      }
      // The first 200 comes only once what the banner promises exists: the sandbox answers...
      const discovery = await fetch(`http://127.0.0.1:${sandboxPort}/oauth/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      // ...and the banner (written before readiness) names the auth config a script would use.
      expect(await gatehouse.waitFor(/auth config ac_/, 5_000)).toMatch(/Sandbox provider "Acme Tasks"/);
      expect(seen.has(503)).toBe(true);
      // The README's quickstart goes on from the banner's export line: the same variables.
      const exported = /^\s*export (.+)$/m.exec(gatehouse.out())?.[1] ?? '';
      const names = [...exported.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]);
      expect(names).toEqual(readmeShell().find((b) => b.sets.includes('KEY'))?.sets);
    } finally {
      await gatehouse.stop();
    }
  }, 120_000);

  it.skipIf(!TEST_DATABASE_URL)(
    'rotates under a running replica on PostgreSQL: it keeps decrypting and wraps new keys under the new master key',
    async () => {
      const scratch = await createScratchPostgres();
      const keyFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-cli-')), 'keyring');
      const first = await cli(['migrate'], {
        GATEHOUSE_DATABASE_URL: scratch.url,
        GATEHOUSE_DATA_DIR: join(keyFile, '..'),
      });
      expect(first.code, first.out).toBe(0);
      const env = {
        GATEHOUSE_DATABASE_URL: scratch.url,
        GATEHOUSE_MASTER_KEY_FILE: join(join(keyFile, '..'), 'master.key'),
      };
      const replica = await runtimeFor(env);
      const p1 = await replica.projects.create('before');
      const ct = await replica.vault.encrypt(p1.id, binding, 'secret-1');

      const rotated = await cli(['keys', 'rotate'], env);
      expect(rotated.code, rotated.out).toBe(0);
      const newActive = LocalKms.fromSources({ masterKeyFile: env.GATEHOUSE_MASTER_KEY_FILE });
      if (!newActive.ok) throw new Error(newActive.error);

      // The running replica (same process objects, no restart) reads old data through a fresh vault...
      expect(await new Vault(replica.db, replica.kms).decrypt(p1.id, binding, ct)).toEqual({
        ok: true,
        value: 'secret-1',
      });
      // ...and a project created after the rotation gets a data key wrapped by the new master key.
      const p2 = await replica.projects.create('after');
      await replica.vault.encrypt(p2.id, binding, 'secret-2');
      const { rows } = await replica.db.query<{ master_key_id: string }>(
        'SELECT DISTINCT master_key_id FROM data_keys',
      );
      expect(rows).toEqual([{ master_key_id: newActive.kms.activeMasterKeyId() }]);
      await replica.close();
      await scratch.drop();
    },
  );
});

describe('gatehouse toolkits import-openapi', () => {
  const githubSpec = new URL(
    '../../../node_modules/@octokit/openapi/generated/api.github.com.json',
    import.meta.url,
  ).pathname;
  const githubConfig = new URL('../../catalog/toolkits/sources/github.import.json', import.meta.url).pathname;
  const committed = new URL('../../catalog/toolkits/generated/github.json', import.meta.url).pathname;

  it('turns GitHub’s OpenAPI description into exactly the committed toolkit', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gatehouse-import-')), 'github.json');
    const res = await cli(
      ['toolkits', 'import-openapi', githubSpec, '--config', githubConfig, '--out', out],
      {},
    );
    expect(res.code, res.out).toBe(0);
    expect(res.out).toMatch(/wrote .* \(\d+ tools\)/);
    const { $schema: _schema, ...expected } = JSON.parse(readFileSync(committed, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(expected);
  });

  it('answers bad input with exit code 2 and a reason', async () => {
    const missing = await cli(
      ['toolkits', 'import-openapi', '/nonexistent.json', '--config', githubConfig],
      {},
    );
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('gatehouse:');
    const noConfig = await cli(['toolkits', 'import-openapi', githubSpec], {});
    expect(noConfig.code).toBe(2);
    expect(noConfig.out).toContain('--config');
  });
});
