import { type ExchangeStep, refuse } from './types.js';

/**
 * RFC 8693 §4.1: each exchange by a further actor nests the previous `act` inside the new one.
 * The chain is the actor, then everyone who acted before it; the project bounds its length
 * (settings `maxDepth`) so a delegation cannot fan out through agents without end.
 */
export const checkDepth: ExchangeStep = (ctx) => {
  const chain = [ctx.actor!, ...ctx.subject!.chain];
  if (chain.length > ctx.settings.maxDepth)
    return refuse(
      'invalid_request',
      `the delegation chain would be ${chain.length} agents deep; this project allows ${ctx.settings.maxDepth}`,
    );
  ctx.chain = chain;
  return undefined;
};
