import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** epoch milliseconds; Infinity when the model has no expiry (clients) */
  readonly expiresAt: number;
  /** a consumed refresh token inside the reuse window: it reads as unconsumed until then (epoch ms) */
  graceUntil?: number | undefined;
  consumedAt?: number;
}

export interface MemoryStoreOptions {
  /**
   * Some providers let a rotated-out refresh token work for a few seconds (a "reuse window" or
   * "grace period"), so a client that lost the answer can ask again. oidc-provider has no such
   * setting; the storage layer provides it: a consumed RefreshToken reads as unconsumed until the
   * window ends, so oidc-provider rotates it again instead of revoking the grant. 0 = off.
   */
  refreshTokenReuseWindowSeconds?: number;
  /** called when a refresh token is presented again inside its reuse window */
  onReuseInWindow?: () => void;
}

const SWEEP_EVERY_WRITES = 500;

/**
 * The storage behind oidc-provider for one sandbox instance: a plain in-memory map, never shared
 * between instances (oidc-provider's bundled MemoryAdapter is a process-wide LRU), with the two
 * indexes the sandbox needs: grant → artifacts (for revocation) and account → grants (revokeUser).
 */
export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grantMembers = new Map<string, Set<string>>();
  readonly #sessionUids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();
  #writes = 0;
  readonly #reuseWindowMs: number;
  readonly #onReuseInWindow: () => void;

  constructor(options: MemoryStoreOptions = {}) {
    this.#reuseWindowMs = (options.refreshTokenReuseWindowSeconds ?? 0) * 1000;
    this.#onReuseInWindow = options.onReuseInWindow ?? (() => {});
  }

  /** The factory oidc-provider calls once per model (`adapter` configuration option). */
  readonly adapterFactory = (model: string): Adapter => new ModelAdapter(this, model);

  get(model: string, id: string): AdapterPayload | undefined {
    const key = keyOf(model, id);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.delete(model, id);
      return undefined;
    }
    if (entry.graceUntil !== undefined && entry.graceUntil <= Date.now()) {
      entry.payload.consumed = Math.floor((entry.consumedAt ?? Date.now()) / 1000);
      entry.graceUntil = undefined;
    }
    return { ...entry.payload };
  }

  set(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    this.delete(model, id);
    const key = keyOf(model, id);
    const expiresAt = expiresInSeconds === undefined ? Infinity : Date.now() + expiresInSeconds * 1000;
    this.#entries.set(key, { payload: { ...payload }, expiresAt });
    if (typeof payload.grantId === 'string' && model !== 'Grant') {
      const members = this.#grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grantMembers.set(payload.grantId, members);
    }
    if (model === 'Session' && typeof payload.uid === 'string') this.#sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.#userCodes.set(payload.userCode, id);
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep();
  }

  delete(model: string, id: string): void {
    const key = keyOf(model, id);
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    const { grantId, uid, userCode } = entry.payload;
    if (typeof grantId === 'string') this.#grantMembers.get(grantId)?.delete(key);
    if (typeof uid === 'string' && this.#sessionUids.get(uid) === id) this.#sessionUids.delete(uid);
    if (typeof userCode === 'string' && this.#userCodes.get(userCode) === id)
      this.#userCodes.delete(userCode);
  }

  consume(model: string, id: string): void {
    const entry = this.#entries.get(keyOf(model, id));
    if (entry === undefined) return;
    if (model === 'RefreshToken' && this.#reuseWindowMs > 0) {
      if (entry.graceUntil !== undefined) this.#onReuseInWindow();
      else {
        entry.consumedAt = Date.now();
        entry.graceUntil = entry.consumedAt + this.#reuseWindowMs;
      }
      return;
    }
    entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  sessionIdByUid(uid: string): string | undefined {
    return this.#sessionUids.get(uid);
  }

  idByUserCode(userCode: string): string | undefined {
    return this.#userCodes.get(userCode);
  }

  /** Deletes the artifacts of one model issued under a grant (tokens, codes). */
  revokeGrantArtifacts(grantId: string, model: string): void {
    for (const key of [...(this.#grantMembers.get(grantId) ?? [])]) {
      const [memberModel, id] = splitKey(key);
      if (memberModel === model) this.delete(memberModel, id);
    }
  }

  /** Deletes a grant and everything issued under it, whatever the model. */
  revokeGrant(grantId: string): void {
    for (const key of [...(this.#grantMembers.get(grantId) ?? [])]) {
      this.delete(...splitKey(key));
    }
    this.#grantMembers.delete(grantId);
    this.delete('Grant', grantId);
  }

  grantIdsOfAccount(accountId: string): string[] {
    const ids: string[] = [];
    for (const [key, entry] of this.#entries) {
      const [model, id] = splitKey(key);
      if (model === 'Grant' && entry.payload.accountId === accountId && entry.expiresAt > Date.now()) {
        ids.push(id);
      }
    }
    return ids;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.delete(...splitKey(key));
    }
    for (const [grantId, members] of this.#grantMembers) {
      if (members.size === 0) this.#grantMembers.delete(grantId);
    }
  }
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly store: MemoryStore,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.sessionIdByUid(uid);
    return id === undefined ? undefined : this.store.get(this.model, id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idByUserCode(userCode);
    return id === undefined ? undefined : this.store.get(this.model, id);
  }

  async consume(id: string): Promise<void> {
    this.store.consume(this.model, id);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrantArtifacts(grantId, this.model);
  }
}

function keyOf(model: string, id: string): string {
  return `${model}:${id}`;
}

function splitKey(key: string): [model: string, id: string] {
  const at = key.indexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}
