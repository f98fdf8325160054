export { type Issue, joinIssues } from './issues.js';
export { type ImportConfig, importConfigSchema } from './openapi/config.js';
export { type ImportOptions, type InvalidImport, importOpenApi } from './openapi/import.js';
export { guideMarkdown, type ProviderGuide, providerGuide, type ToolkitScopes } from './providers/guide.js';
export { guideDocuments } from './providers/guide-docs.js';
export {
  type InvalidProvider,
  type ProviderIssue,
  parseProviderDefinition,
} from './providers/parse.js';
export { builtInProviders, getBuiltInProvider } from './providers/registry.js';
export {
  type AuthType,
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
  renderValue,
  type TemplateError,
  type TemplateVars,
} from './providers/template.js';
export { err, ok, type Result } from './result.js';
export {
  type ArgumentIssue,
  type ArgumentValidator,
  compileArgumentValidator,
  type InvalidArguments,
} from './toolkits/arguments.js';
export { getPath } from './toolkits/dotted-path.js';
export { type Link, linkTarget, parseLinkHeader } from './toolkits/link-header.js';
export {
  matchRequest,
  normalizePath,
  type RawRequest,
  type RequestMatch,
  UNREADABLE_BODY,
} from './toolkits/match-request.js';
export { type ShapedOutput, shapeOutput } from './toolkits/output.js';
export {
  nextCursorOf,
  nextPageArguments,
  type ResponseHeaders,
} from './toolkits/pagination.js';
export { type InvalidToolkit, parseToolkit } from './toolkits/parse.js';
export { FORBIDDEN_HEADERS } from './toolkits/refinements.js';
export {
  type BuiltInTool,
  builtInToolkits,
  builtInTools,
  getBuiltInTool,
  loadBuiltInToolkits,
  SANDBOX_PROVIDER,
  toolkitProviderMismatch,
} from './toolkits/registry.js';
export { buildRequest, encodeBody, type ToolRequest } from './toolkits/request.js';
export {
  type HttpMethod,
  RECORD_ATTRIBUTE_TYPES,
  type Risk,
  type ToolDefinition,
  type ToolHttp,
  type ToolInput,
  type Toolkit,
  type ToolkitInput,
  type ToolOutput,
  type ToolPagination,
  type ToolRecords,
  toolkitSchema,
} from './toolkits/schema.js';
export { builtInToolkitAt, builtInToolkitVersions, type ToolkitVersions } from './toolkits/versioned.js';
export {
  compareVersions,
  deltaBetween,
  nextVersion,
  type ToolkitVersion,
  toolHash,
  toolkitHash,
  toolsAtVersion,
} from './toolkits/versions.js';
export * from './unified/index.js';
