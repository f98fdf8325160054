/**
 * Loads oidc-provider without its "Unsupported runtime" warning: oidc-provider 9 asks for Node 22
 * but runs on Node 20 (checked by this package's tests). Only that one warning is dropped.
 */
import type ProviderClass from 'oidc-provider';
import type { errors as ProviderErrors } from 'oidc-provider';

const originalWarn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
  originalWarn(...args);
};
let loaded: typeof import('oidc-provider');
try {
  loaded = await import('oidc-provider');
} finally {
  console.warn = originalWarn;
}

export const Provider: typeof ProviderClass = loaded.default;
export const errors: typeof ProviderErrors = loaded.errors;
export type Provider = ProviderClass;
