export {
  type InvalidProvider,
  type ProviderIssue,
  parseProviderDefinition,
} from './providers/parse.js';
export { builtInProviders, getBuiltInProvider } from './providers/registry.js';
export {
  isSupportedAuthType,
  type ProviderDefinition,
  type ProviderDefinitionInput,
  providerDefinitionSchema,
  SUPPORTED_AUTH_TYPES,
} from './providers/schema.js';
export {
  type Placeholder,
  placeholdersOf,
  renderTemplate,
  type TemplateError,
  type TemplateVars,
} from './providers/template.js';
export { err, ok, type Result } from './result.js';
