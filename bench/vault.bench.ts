import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ProjectStore } from '../packages/server/src/projects/projects.js';
import { openPglite } from '../packages/server/src/store/db.js';
import { migrate } from '../packages/server/src/store/migrate.js';
import { generateMasterKey, LocalKms } from '../packages/server/src/vault/kms.js';
import { Vault } from '../packages/server/src/vault/vault.js';
import { opsPerSecond, table } from './lib/report.js';

/**
 * Vault encrypt+decrypt round trips of a 2 KB secret, against the floor: Node's AES-256-GCM on the
 * same payload with no envelope, AAD building or encoding (measured in the same run).
 */
export async function vaultBench(): Promise<void> {
  const secret = randomBytes(1024).toString('hex'); // 2 KB of text, like a token blob
  const key = randomBytes(32);
  const raw = () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  };

  const db = await openPglite();
  await migrate(db);
  const project = await new ProjectStore(db, true).create('bench');
  const kms = LocalKms.fromSources({ masterKey: generateMasterKey() });
  if (!kms.ok) throw new Error(kms.error);
  const vault = new Vault(db, kms.kms);
  const binding = { table: 'connected_accounts', rowId: 'ca_bench', purpose: 'credentials' };
  const roundTrip = async () => {
    const ct = await vault.encrypt(project.id, binding, secret);
    const pt = await vault.decrypt(project.id, binding, ct);
    if (!pt.ok || pt.value.length !== secret.length) throw new Error('round trip failed');
  };

  // Alternate the two a few times and keep each one's best, so JIT warm-up and noise favour neither.
  let baseline = 0;
  let measured = 0;
  for (let round = 0; round < 3; round++) {
    baseline = Math.max(baseline, await opsPerSecond(raw, { seconds: 1 }));
    measured = Math.max(measured, await opsPerSecond(roundTrip, { seconds: 1 }));
  }
  table(
    'Vault: encrypt + decrypt round trips of a 2 KB secret (one core)',
    ['path', 'round trips/s', 'vs raw AES-GCM'],
    [
      ['raw AES-256-GCM (floor)', baseline, '1.00x'],
      ['Gatehouse vault', measured, `${(measured / baseline).toFixed(2)}x`],
    ],
  );
  console.log(`  target: within 2x of raw (>= 0.50x) -> ${measured / baseline >= 0.5 ? 'met' : 'NOT met'}`);
  await db.close();
}
