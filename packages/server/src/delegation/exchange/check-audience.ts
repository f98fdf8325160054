import { type ExchangeStep, refuse } from './types.js';

/**
 * RFC 8693 §2.1 `audience` / `resource` (RFC 8707): where the token will be used. The REST API
 * (the default) or one of the project's MCP servers; anything else is `invalid_target` (§2.2.2).
 * One audience per token, so a token for one MCP server is refused by every other door.
 */
export const checkAudience: ExchangeStep = async (ctx, d) => {
  const { audience, resource } = ctx.form;
  if (audience && resource && audience !== resource)
    return refuse('invalid_target', 'audience and resource name different targets; name one');
  const target = audience ?? resource ?? ctx.urls.apiAudience;
  if (target !== ctx.urls.apiAudience && !(await d.isMcpResource(ctx.projectId, target)))
    return refuse(
      'invalid_target',
      `${target.slice(0, 200)} is not this project's API or one of its MCP servers`,
    );
  ctx.audience = target;
  return undefined;
};
