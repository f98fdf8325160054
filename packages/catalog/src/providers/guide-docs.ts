import { builtInToolkits, SANDBOX_PROVIDER } from '../toolkits/registry.js';
import { guideMarkdown, providerGuide } from './guide.js';
import { builtInProviders } from './registry.js';

/** Where the generated guides live, from the repository root. */
export const GUIDES_DIR = new URL('../../../../docs/providers/', import.meta.url);
/** The guides show a placeholder host; the API's guide uses the deployment's `GATEHOUSE_PUBLIC_URL`. */
export const EXAMPLE_CALLBACK = 'https://gatehouse.example.com/oauth/callback';

/** Every real provider's guide plus an index, as file name → Markdown (the sandbox is not a real provider). */
export function guideDocuments(): Map<string, string> {
  const toolkits = [...builtInToolkits().values()];
  const providers = [...builtInProviders().values()]
    .filter((p) => p.id !== SANDBOX_PROVIDER)
    .sort((a, b) => a.id.localeCompare(b.id));
  const docs = new Map<string, string>();
  const index = [
    '# Provider setup guides',
    '',
    'Generated from the provider definitions (`packages/catalog/providers/*.json`) and the toolkits by',
    '`npm run -w @gatehouse/catalog gen-guides`; a test fails when they are stale. The same guide, with',
    "your deployment's callback URL, is in `GET /v1/providers/{id}` under `guide`.",
    '',
    '| Provider | Auth | Toolkits | Register the app at |',
    '| --- | --- | --- | --- |',
  ];
  for (const p of providers) {
    const guide = providerGuide(p, toolkits, EXAMPLE_CALLBACK);
    docs.set(`${p.id}.md`, guideMarkdown(guide));
    const kits = guide.toolkits.map((t) => `\`${t.id}\` (${t.tools})`).join(', ') || 'none yet';
    index.push(`| [${p.displayName}](${p.id}.md) | ${p.authType} | ${kits} | ${guide.consoleUrl ?? ''} |`);
  }
  docs.set('README.md', `${index.join('\n')}\n`);
  return docs;
}
