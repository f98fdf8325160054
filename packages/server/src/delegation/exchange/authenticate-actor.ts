import { type ExchangeStep, refuse, TOKEN_TYPE } from './types.js';

/**
 * RFC 8693 §2.1 `actor_token`: the agent that will act. Either its `gth_ak_` key or a JWT assertion
 * it signed with a registered key (RFC 7523 §3, checked in ../assertions.ts). Either way the agent
 * must belong to the project whose token endpoint was called.
 */
export const authenticateActor: ExchangeStep = async (ctx, d) => {
  const token = ctx.form.actor_token!;
  if (ctx.form.actor_token_type === TOKEN_TYPE.agentKey) {
    const key = await d.agentKey(token);
    if (!key || key.projectId !== ctx.projectId)
      return refuse('invalid_request', 'actor_token: not a valid agent key of this project');
    if (!key.agentId)
      return refuse('invalid_request', 'actor_token: a project key is not an agent; use an agent key');
    ctx.actor = key.agentId;
    return undefined;
  }
  const verified = await d.assertions.verify(ctx.projectId, ctx.urls.tokenEndpoint, token);
  if (!verified.ok) return verified.error;
  ctx.actor = verified.value;
  return undefined;
};
