import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

// No container engine or helm binary runs on the build machines: these are the static checks that
// can run here (README "Self-hosting" says what is and is not exercised).
const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('has no problems by the Docker language service (dockerfile-utils)', () => {
    const problems = validateDockerfile(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('is multi-stage, runs the built JS as a non-root user, and checks /readyz', () => {
    const froms = dockerfile.match(/^FROM /gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(final).not.toMatch(/tsx/);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; healthcheck?: unknown; image?: string }>;
  };

  it('runs PostgreSQL, Redis and two Gatehouse replicas behind a proxy, with health checks', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'gatehouse-1',
      'gatehouse-2',
      'postgres',
      'proxy',
      'redis',
    ]);
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    expect(compose.services.redis?.healthcheck).toBeDefined();
    for (const replica of ['gatehouse-1', 'gatehouse-2']) {
      const env = compose.services[replica]?.environment ?? {};
      expect(env.GATEHOUSE_DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(env.GATEHOUSE_REDIS_URL).toBe('redis://redis:6379');
      // Secrets come from the operator's environment, never from the file.
      expect(env.GATEHOUSE_MASTER_KEY).toMatch(/^\$\{GATEHOUSE_MASTER_KEY:\?/);
    }
    const caddy = read('deploy/Caddyfile');
    expect(caddy).toContain('gatehouse-1:4100 gatehouse-2:4100');
    expect(caddy).toContain('health_uri /readyz');
  });
});

describe('Helm chart (not rendered here: no helm binary)', () => {
  const chart = 'deploy/helm/gatehouse/';

  it('Chart.yaml and values.yaml are valid YAML, and values.yaml satisfies values.schema.json', () => {
    const meta = parse(read(`${chart}Chart.yaml`)) as Record<string, unknown>;
    expect(meta).toMatchObject({ apiVersion: 'v2', name: 'gatehouse', type: 'application' });
    const values = parse(read(`${chart}values.yaml`)) as unknown;
    const schema = JSON.parse(read(`${chart}values.schema.json`)) as object;
    const ajv = new Ajv({ strict: false });
    const check = ajv.compile(schema);
    expect(check(values), JSON.stringify(check.errors)).toBe(true);
  });

  it('ships a Deployment, Service, Secret, migrations Job, HPA and PodDisruptionBudget', () => {
    const kinds = readdirSync(new URL(`${chart}templates/`, root))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => /^kind: (\w+)$/m.exec(read(`${chart}templates/${f}`))?.[1]);
    expect(kinds.sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Job',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    const job = read(`${chart}templates/migrate-job.yaml`);
    expect(job).toContain('args: ["migrate"]');
    expect(job).toContain('helm.sh/hook: pre-install,pre-upgrade');
    // Lines without template actions parse as YAML on their own (catches indentation slips).
    for (const f of readdirSync(new URL(`${chart}templates/`, root)).filter((x) => x.endsWith('.yaml'))) {
      const plain = read(`${chart}templates/${f}`)
        .split('\n')
        .filter((l) => !l.includes('{{'))
        .join('\n');
      const docs = parseAllDocuments(plain);
      expect(
        docs.flatMap((d) => d.errors.map((e) => e.message)),
        f,
      ).toEqual([]);
    }
  });
});
