import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from 'undici';
import {
  BlockedAddressError,
  guardLookup,
  hostIsBlockedLiteral,
  isPrivateAddress,
  type LookupFunction,
} from './address-policy.js';

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
  const connect = buildConnector({ timeout: timeoutMs, lookup: guardLookup(lookup) });
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
  readonly publicAgent: Agent;
  readonly internalAgent: Agent;
  readonly allowPrivateAddresses: boolean;

  constructor(options: OutboundOptions) {
    const connectTimeout = options.connectTimeoutMs ?? 5_000;
    const common = {
      headersTimeout: options.readTimeoutMs ?? 30_000,
      bodyTimeout: options.readTimeoutMs ?? 30_000,
      keepAliveTimeout: 30_000,
      connections: 128,
    };
    this.allowPrivateAddresses = options.allowPrivateAddresses;
    this.publicAgent = new Agent({ ...common, connect: guardedConnector(connectTimeout, options.lookup) });
    this.internalAgent = options.allowPrivateAddresses
      ? new Agent({
          ...common,
          connectTimeout,
          ...(options.lookup ? { connect: { lookup: options.lookup } } : {}),
        })
      : this.publicAgent;
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
      return undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher } as Parameters<
        typeof undiciFetch
      >[1]);
    }) as typeof fetch;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.publicAgent.close(),
      this.internalAgent === this.publicAgent ? undefined : this.internalAgent.close(),
    ]);
  }
}
