import type { Toolkit } from '../toolkits/schema.js';
import type { ProviderDefinition } from './schema.js';

/** The scopes one toolkit needs: the union of its tools' scopes, with the provider's wording. */
export interface ToolkitScopes {
  id: string;
  displayName: string;
  tools: number;
  scopes: Array<{ name: string; description: string | null; tools: number }>;
}

/** How to set a provider up for Gatehouse, derived only from its definition and its toolkits. */
export interface ProviderGuide {
  providerId: string;
  displayName: string;
  authType: ProviderDefinition['authType'];
  consoleUrl: string | null;
  steps: string[];
  /** Where the provider must send users back (an OAuth app's redirect URI). */
  callbackUrl: string;
  defaultScopes: string[];
  toolkits: ToolkitScopes[];
  docsUrl: string | null;
  notes: string | null;
}

export function providerGuide(
  definition: ProviderDefinition,
  toolkits: readonly Toolkit[],
  callbackUrl: string,
): ProviderGuide {
  const described = new Map((definition.oauth2?.scopes ?? []).map((s) => [s.name, s.description ?? null]));
  return {
    providerId: definition.id,
    displayName: definition.displayName,
    authType: definition.authType,
    consoleUrl: definition.setup?.consoleUrl ?? null,
    steps: definition.setup?.steps ?? [],
    callbackUrl,
    defaultScopes: definition.oauth2?.defaultScopes ?? [],
    toolkits: toolkits
      .filter((t) => t.provider === definition.id)
      .map((t) => ({
        id: t.id,
        displayName: t.displayName,
        tools: t.tools.length,
        scopes: scopesOf(t).map(([name, tools]) => ({
          name,
          description: described.get(name) ?? null,
          tools,
        })),
      })),
    docsUrl: definition.docsUrl ?? null,
    notes: definition.notes ?? null,
  };
}

/** Each scope a toolkit's tools name, with how many tools need it, most-needed first. */
function scopesOf(toolkit: Toolkit): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const tool of toolkit.tools) for (const s of tool.scopes) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const code = (s: string) => `\`${s.replaceAll('`', "'")}\``;

/** The guide as Markdown (docs/providers/<id>.md, and `guide.markdown` in the API). */
export function guideMarkdown(g: ProviderGuide): string {
  const out: string[] = [`# ${g.displayName} (\`${g.providerId}\`)`, ''];
  out.push('## 1. Register the app', '');
  if (g.consoleUrl) out.push(`Open ${g.consoleUrl}.`, '');
  g.steps.forEach((step, i) => {
    out.push(`${i + 1}. ${step}`);
  });
  if (g.steps.length > 0) out.push('');
  out.push('## 2. Callback URL', '', `Register exactly this redirect URI: ${code(g.callbackUrl)}`, '');
  out.push(
    '(`GATEHOUSE_PUBLIC_URL` followed by `/oauth/callback`; replace the host with your deployment.)',
    '',
  );
  out.push('## 3. Scopes', '');
  if (g.defaultScopes.length > 0)
    out.push(`Asked for on every connection: ${g.defaultScopes.map(code).join(', ')}.`, '');
  if (g.toolkits.length === 0)
    out.push('No toolkit ships for this provider yet: only the proxy uses it.', '');
  for (const t of g.toolkits) {
    out.push(`### Toolkit ${code(t.id)}: ${t.displayName} (${t.tools} tools)`, '');
    if (t.scopes.length === 0) out.push('Its tools need no scope beyond the defaults.', '');
    else {
      out.push('| Scope | Tools that need it | What it grants |', '| --- | --- | --- |');
      for (const s of t.scopes) out.push(`| ${code(s.name)} | ${s.tools} | ${s.description ?? ''} |`);
      out.push('');
    }
  }
  out.push(
    '## 4. Create the auth config',
    '',
    '```sh',
    'curl -X POST "$GATEHOUSE_URL/v1/auth-configs" -H "authorization: Bearer $GATEHOUSE_API_KEY" \\',
    `  -H 'content-type: application/json' \\`,
    `  -d '{"providerId": "${g.providerId}", "clientId": "…", "clientSecret": "…"}'`,
    '```',
    '',
    'Connect Links can then ask for just what a toolkit needs: `POST /v1/connect/links {"tools": [...]}`.',
    '',
  );
  if (g.notes) out.push('## Provider notes', '', g.notes, '');
  if (g.docsUrl) out.push(`Provider documentation: ${g.docsUrl}`, '');
  return out.join('\n');
}
