import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { Agent, buildConnector, Dispatcher } from 'undici';
import {
  BlockedAddressError,
  guardLookup,
  hostIsBlockedLiteral,
  isPrivateAddress,
  type LookupFunction,
} from './address-policy.js';

type Undici = typeof import('undici');
let loaded: Undici | undefined;

/**
 * undici, loaded on the first outbound call rather than at start-up: importing it is ~0.1-0.4 s of
 * a cold start's main thread, and nothing on the way to ready calls out. Synchronous (it is
 * CommonJS), so the pools and `request` stay plain calls; the same module instance an `import`
 * of it gets.
 */
export const undici = (): Undici => {
  loaded ??= createRequire(import.meta.url)('undici') as Undici;
  return loaded;
};

export interface OutboundOptions {
  /**
   * The operator's decision (GATEHOUSE_ALLOW_INTERNAL_PROVIDERS): whether any outbound call may
   * reach private, loopback or link-local addresses. When false, no caller can get a connection
   * to one, whatever it asks for.
   */
  allowPrivateAddresses: boolean;
  connectTimeoutMs?: number;
  /** Time to wait for response headers, and between body chunks. */
  readTimeoutMs?: number;
  /** Name resolution (tests inject one to play a rebinding DNS server). */
  lookup?: LookupFunction;
}

/**
 * A connector that checks the address it is about to connect to, at every connection: IP literals
 * before the socket is opened (Node skips DNS for them), names through a lookup that refuses
 * private answers. This is the one place the address rule is enforced; input checks only give
 * earlier, friendlier errors.
 */
function guardedConnector(timeoutMs: number, lookup: LookupFunction | undefined): buildConnector.connector {
  const connect = undici().buildConnector({ timeout: timeoutMs, lookup: guardLookup(lookup) });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && isPrivateAddress(host)) {
      callback(new BlockedAddressError(options.hostname), null);
      return;
    }
    connect(options, callback);
  };
}

/**
 * All server-side HTTP leaves through here: providers (token, revocation, identity, health check,
 * API, proxy), webhooks, client metadata documents, identity providers. Two connection pools:
 * `public` refuses private and loopback addresses at connect time; `internal` may reach them and
 * exists only when the operator allows private addresses. A caller's `internal` flag (a provider
 * marked internal) can narrow that permission, never widen it.
 */
export class Outbound {
  readonly allowPrivateAddresses: boolean;
  private pools: { public: Agent; internal: Agent } | undefined;

  constructor(private readonly options: OutboundOptions) {
    this.allowPrivateAddresses = options.allowPrivateAddresses;
  }

  /** Made on first use (see `undici`). */
  get publicAgent(): Agent {
    return this.agents().public;
  }

  get internalAgent(): Agent {
    return this.agents().internal;
  }

  private agents(): { public: Agent; internal: Agent } {
    if (this.pools) return this.pools;
    const { Agent } = undici();
    const options = this.options;
    const connectTimeout = options.connectTimeoutMs ?? 5_000;
    const common = {
      headersTimeout: options.readTimeoutMs ?? 30_000,
      bodyTimeout: options.readTimeoutMs ?? 30_000,
      keepAliveTimeout: 30_000,
      connections: 128,
    };
    const publicAgent = new Agent({ ...common, connect: guardedConnector(connectTimeout, options.lookup) });
    this.pools = {
      public: publicAgent,
      internal: options.allowPrivateAddresses
        ? new Agent({
            ...common,
            connectTimeout,
            ...(options.lookup ? { connect: { lookup: options.lookup } } : {}),
          })
        : publicAgent,
    };
    return this.pools;
  }

  /** Whether a call asking for private addresses (`internal`) may have them on this instance. */
  private mayReachPrivate(internal: boolean): boolean {
    return internal && this.allowPrivateAddresses;
  }

  dispatcher(internal: boolean): Dispatcher {
    return this.mayReachPrivate(internal) ? this.internalAgent : this.publicAgent;
  }

  /** A WHATWG fetch bound to the right pool, for libraries that take a custom fetch (oauth4webapi). */
  fetchFor(internal: boolean): typeof fetch {
    const open = this.mayReachPrivate(internal);
    const dispatcher = this.dispatcher(internal);
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      // The connector refuses it too; failing here gives callers the error itself, not fetch's wrapper.
      if (!open && hostIsBlockedLiteral(url)) throw new BlockedAddressError(url.host);
      // OAuth endpoints never legitimately redirect a back-channel call; following one could leave the allowed host.
      return undici().fetch(url, { ...(init as object), redirect: 'manual', dispatcher } as Parameters<
        Undici['fetch']
      >[1]);
    }) as typeof fetch;
  }

  async close(): Promise<void> {
    const pools = this.pools;
    if (!pools) return;
    await Promise.all([
      pools.public.close(),
      pools.internal === pools.public ? undefined : pools.internal.close(),
    ]);
  }
}
