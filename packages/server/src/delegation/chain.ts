/**
 * The `act` claim (RFC 8693 §4.1): the current actor is the outermost `sub`; each nested `act`
 * names the actor that delegated to it, down to the agent the user delegated to first.
 *
 *   { sub: "summariser", act: { sub: "support-agent" } }
 *   └ current actor (acts now)  └ delegated to it (the user's own agent)
 */
export interface Act {
  sub: string;
  act?: Act;
}

/** The chain as Gatehouse reads it: agent ids, outermost (the acting agent) first. */
export type Chain = readonly string[];

/** Flattens an `act` claim, outermost first; undefined if it is not a well-formed chain. */
export function chainOf(act: unknown, maxLength = 32): string[] | undefined {
  const out: string[] = [];
  let at: unknown = act;
  while (at !== undefined) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined;
    const { sub, act: inner } = at as Record<string, unknown>;
    if (typeof sub !== 'string' || sub.length === 0) return undefined;
    out.push(sub);
    if (out.length > maxLength) return undefined;
    at = inner;
  }
  return out.length > 0 ? out : undefined;
}

/** Builds the nested claim from a chain, outermost first. */
export function actOf(chain: Chain): Act {
  let act: Act | undefined;
  for (let i = chain.length - 1; i >= 0; i--) act = act ? { sub: chain[i]!, act } : { sub: chain[i]! };
  if (!act) throw new Error('an act claim needs at least one actor');
  return act;
}
