import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** A data key wrapped by a master key. `masterKeyId` says which one, so master keys can rotate. */
export interface WrappedKey {
  masterKeyId: string;
  wrapped: string;
}

/**
 * The KMS plug-in: wraps and unwraps data keys, binding each to a context string (the KMS
 * "encryption context" / AAD). AWS KMS Encrypt/Decrypt with EncryptionContext, GCP KMS with
 * additionalAuthenticatedData and Vault transit with `context` all fit this shape.
 */
export interface Kms {
  readonly name: string;
  activeMasterKeyId(): string;
  wrap(dataKey: Uint8Array, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

export type KeyringResult = { ok: true; kms: LocalKms } | { ok: false; error: string };

export function masterKeyId(key: Buffer): string {
  return `mk_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** Parses one base64 master key; it must decode to exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** Parses a keyring: keys separated by commas or newlines, the first is active; `#` starts a comment. */
export function parseKeyring(text: string): { ok: true; keys: Buffer[] } | { ok: false; error: string } {
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.length > 0);
  if (entries.length === 0) return { ok: false, error: 'no master key found' };
  const keys: Buffer[] = [];
  for (const [i, entry] of entries.entries()) {
    const key = parseMasterKey(entry);
    if (!key) return { ok: false, error: `master key #${i + 1} is not base64 of exactly 32 bytes` };
    keys.push(key);
  }
  return { ok: true, keys };
}

/**
 * Local KMS: master keys held in memory, from GATEHOUSE_MASTER_KEY (comma-separated, first active)
 * or a key file (one per line, first active). When a file is the source, an unknown master-key id
 * re-reads the file, so `gatehouse keys rotate` takes effect on running replicas without a restart.
 */
export class LocalKms implements Kms {
  readonly name = 'local';
  private keys = new Map<string, Buffer>();
  private activeId = '';
  private fileMtimeMs = 0;

  constructor(
    keys: Buffer[],
    private readonly file?: string,
  ) {
    this.install(keys);
    if (file) this.fileMtimeMs = statSync(file).mtimeMs;
  }

  static fromSources(source: {
    masterKey?: string | undefined;
    masterKeyFile?: string | undefined;
  }): KeyringResult {
    let text: string;
    if (source.masterKey !== undefined) {
      text = source.masterKey;
    } else if (source.masterKeyFile !== undefined) {
      try {
        text = readFileSync(source.masterKeyFile, 'utf8');
      } catch (err) {
        return {
          ok: false,
          error: `cannot read master key file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
        };
      }
    } else {
      return { ok: false, error: 'no master key configured' };
    }
    const parsed = parseKeyring(text);
    if (!parsed.ok) return parsed;
    return {
      ok: true,
      kms: new LocalKms(parsed.keys, source.masterKey === undefined ? source.masterKeyFile : undefined),
    };
  }

  activeMasterKeyId(): string {
    return this.activeId;
  }

  async wrap(dataKey: Uint8Array, context: string): Promise<WrappedKey> {
    // New data keys must go under the newest master key even if another process rotated it.
    if (this.file && statSync(this.file).mtimeMs !== this.fileMtimeMs) this.reloadFromFile();
    const key = this.keys.get(this.activeId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { masterKeyId: this.activeId, wrapped: [iv, ct, cipher.getAuthTag()].map(b64url).join('.') };
  }

  async unwrap(wrappedKey: WrappedKey, context: string): Promise<Buffer> {
    let key = this.keys.get(wrappedKey.masterKeyId);
    if (!key && this.file) {
      this.reloadFromFile();
      key = this.keys.get(wrappedKey.masterKeyId);
    }
    if (!key) throw new Error(`master key ${wrappedKey.masterKeyId} is not in the keyring`);
    const [iv, ct, tag] = wrappedKey.wrapped.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !ct || !tag) throw new Error('malformed wrapped key');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  }

  /** Re-reads the key file (after a rotation by another process). */
  reloadFromFile(): void {
    if (!this.file) return;
    this.fileMtimeMs = statSync(this.file).mtimeMs;
    const parsed = parseKeyring(readFileSync(this.file, 'utf8'));
    if (parsed.ok) this.install(parsed.keys);
  }

  private install(keys: Buffer[]): void {
    this.keys = new Map(keys.map((k) => [masterKeyId(k), k]));
    this.activeId = masterKeyId(keys[0]!);
  }
}

const b64url = (b: Buffer): string => b.toString('base64url');
