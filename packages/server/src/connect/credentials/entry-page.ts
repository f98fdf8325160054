import type { ProviderDefinition } from '@gatehouse/catalog';
import { escapeHtml, layout, type PageFrame } from '../pages.js';

export interface EntryPageView {
  provider: ProviderDefinition;
  userId: string;
  linkId: string;
  /** The link key and the browser-bound CSRF token, carried by the form. */
  key: string;
  csrf: string;
  label: string | null;
  /** Why the last submission was refused (never the value submitted). */
  error?: string | undefined;
  /** The username the user typed, kept on a retry (a password never is). */
  username?: string | undefined;
}

type Field = { name: string; label: string; type: 'text' | 'password'; required: boolean; value?: string };

/** The fields a provider's auth type asks for, labelled as its definition says. */
function fieldsOf(def: ProviderDefinition, username: string | undefined): Field[] {
  if (def.authType === 'basic') {
    const b = def.basic;
    return [
      {
        name: 'username',
        label: b?.usernameLabel ?? 'Username',
        type: 'text',
        required: true,
        ...(username ? { value: username } : {}),
      },
      {
        name: 'password',
        label: b?.passwordLabel ?? 'Password',
        type: 'password',
        required: b?.passwordRequired !== false,
      },
    ];
  }
  const label = def.apiKey?.label ?? (def.authType === 'bearer' ? 'Access token' : 'API key');
  return [{ name: def.authType === 'bearer' ? 'token' : 'apiKey', label, type: 'password', required: true }];
}

/**
 * The hosted page where the end user enters a key, token or username and password. Plain HTML, no
 * script (the CSP allows none): labelled fields, the error announced with role="alert" and tied to
 * the fields with aria-describedby, the secret fields never pre-filled or autocompleted.
 */
export function entryPage(frame: PageFrame, v: EntryPageView): string {
  const name = escapeHtml(v.provider.displayName);
  const help = v.provider.apiKey?.help ?? v.provider.basic?.help;
  const described = [v.error ? 'entry-error' : '', help ? 'entry-help' : ''].filter(Boolean).join(' ');
  const inputs = fieldsOf(v.provider, v.username).map((f) => {
    const attrs = [
      `id="f-${f.name}"`,
      `name="${f.name}"`,
      `type="${f.type}"`,
      f.type === 'password' ? 'autocomplete="off"' : 'autocomplete="username"',
      'spellcheck="false"',
      f.required ? 'required' : '',
      v.error ? 'aria-invalid="true"' : '',
      described ? `aria-describedby="${described}"` : '',
      f.value ? `value="${escapeHtml(f.value)}"` : '',
    ].filter(Boolean);
    return `<p><label for="f-${f.name}">${escapeHtml(f.label)}</label><br><input ${attrs.join(' ')}></p>`;
  });
  return layout(
    frame,
    `<h1>Connect your ${name} account</h1>
<p>${escapeHtml(frame.appName)} asks to act on your behalf in ${name}${v.label ? ` (account “${escapeHtml(v.label)}”)` : ''}.
Gatehouse checks it with ${name} and stores it encrypted; ${escapeHtml(frame.appName)} and its AI agents never see it.</p>
${v.error ? `<p id="entry-error" role="alert"><strong>Not connected:</strong> ${escapeHtml(v.error)}</p>` : ''}
<form method="post" action="/connect/${escapeHtml(v.linkId)}/credentials">
<input type="hidden" name="key" value="${escapeHtml(v.key)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">
${inputs.join('\n')}
${help ? `<p id="entry-help" class="muted">${escapeHtml(help)}</p>` : ''}
<p class="muted">Connecting for user <code>${escapeHtml(v.userId)}</code>.</p>
<button type="submit">Connect ${name}</button></form>`,
  );
}
