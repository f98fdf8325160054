import { Agent, type Dispatcher, fetch as undiciFetch } from 'undici';
import { BlockedAddressError, guardedLookup, hostIsBlockedLiteral } from './address-policy.js';

export interface OutboundOptions {
  connectTimeoutMs?: number;
  /** Time to wait for response headers, and between body chunks. */
  readTimeoutMs?: number;
}

/**
 * All server-side HTTP to providers goes through here. Two connection pools: `public` refuses
 * private and loopback addresses (every provider unless marked internal); `internal` may reach
 * them (the sandbox, or custom providers when the operator allows it).
 */
export class Outbound {
  readonly publicAgent: Agent;
  readonly internalAgent: Agent;

  constructor(options: OutboundOptions = {}) {
    const common = {
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      headersTimeout: options.readTimeoutMs ?? 30_000,
      bodyTimeout: options.readTimeoutMs ?? 30_000,
      keepAliveTimeout: 30_000,
      connections: 128,
    };
    this.publicAgent = new Agent({ ...common, connect: { lookup: guardedLookup } });
    this.internalAgent = new Agent(common);
  }

  dispatcher(internal: boolean): Dispatcher {
    return internal ? this.internalAgent : this.publicAgent;
  }

  /** A WHATWG fetch bound to the right pool, for libraries that take a custom fetch (oauth4webapi). */
  fetchFor(internal: boolean): typeof fetch {
    const dispatcher = this.dispatcher(internal);
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (!internal && hostIsBlockedLiteral(url)) throw new BlockedAddressError(url.host);
      // OAuth endpoints never legitimately redirect a back-channel call; following one could leave the allowed host.
      return undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher } as Parameters<
        typeof undiciFetch
      >[1]);
    }) as typeof fetch;
  }

  async close(): Promise<void> {
    await Promise.all([this.publicAgent.close(), this.internalAgent.close()]);
  }
}
