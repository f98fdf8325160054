import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Metrics } from '../packages/server/src/telemetry/metrics.js';

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

  it('is multi-stage, runs as a non-root user, and checks /readyz', () => {
    const froms = dockerfile.match(/^FROM /gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    expect(dockerfile).toMatch(/RUN npm run build --workspaces --if-present && npm prune --omit=dev/);
  });

  it('runs the compiled server: no TypeScript sources in the image, no tsx among production dependencies', () => {
    expect(dockerfile).toMatch(/&& rm -rf packages\/\*\/src /);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "packages\/server\/bin\/gatehouse.mjs"\]$/m);
    for (const ws of ['catalog', 'sandbox', 'server']) {
      const pkg = JSON.parse(read(`packages/${ws}/package.json`)) as {
        dependencies?: Record<string, string>;
      };
      expect(Object.keys(pkg.dependencies ?? {})).not.toContain('tsx');
    }
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

describe('Prometheus alert rules and the Grafana dashboard', () => {
  const known = new Set(new Metrics().registry.getMetricsAsArray().map((m) => m.name));
  /** Metric names in PromQL, with a histogram's series suffixes mapped back to the histogram. */
  const metricsIn = (expr: string) =>
    [...expr.matchAll(/\bgatehouse_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));

  it('every alert has an expression, a duration and a summary, and uses metrics the server exports', () => {
    const rules = (
      parse(read('deploy/prometheus/alerts.yaml')) as {
        groups: Array<{
          rules: Array<{ alert: string; expr: string; for: string; annotations: { summary?: string } }>;
        }>;
      }
    ).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'GatehouseUpstream401Spike',
        'GatehouseTokenRefreshFailures',
        'GatehouseWebhookBacklog',
      ]),
    );
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      const used = metricsIn(rule.expr);
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(known, `${rule.alert}: ${name}`).toContain(name);
    }
  });

  it('every dashboard panel queries metrics the server exports', () => {
    const dashboard = JSON.parse(read('deploy/grafana/gatehouse-dashboard.json')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const name of metricsIn(target.expr)) expect(known, `${panel.title}: ${name}`).toContain(name);
  });
});
