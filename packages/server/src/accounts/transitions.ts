import type { EventLog, EventType } from '../events/event-log.js';
import type { Queryable } from '../store/db.js';
import type { AccountStore, ConnectedAccount } from './store.js';

type AccountKey = Pick<ConnectedAccount, 'projectId' | 'id'>;

/**
 * The one owner of a connected account's status. Each transition writes the status and its
 * `connection.*` event (the outbox) in the caller's transaction, so the event exists exactly when
 * the change was committed. Nothing else writes `status` (tokens/ writes credentials and leases).
 *
 *   INITIATED/EXPIRED/REVOKED ─activate─▶ ACTIVE ─markExpired─▶ EXPIRED
 *                              any ─markRevoked─▶ REVOKED
 */
export class AccountTransitions {
  constructor(
    private readonly store: AccountStore,
    private readonly events: EventLog,
  ) {}

  /**
   * ACTIVE: a connect flow completed (`connection.active`), or a refresh succeeded
   * (`connection.refreshed`, which also brings an EXPIRED account back). The version is not bumped:
   * the credential write that comes with an activation already did.
   */
  async activate(
    tx: Queryable,
    account: ConnectedAccount,
    event: Extract<EventType, 'connection.active' | 'connection.refreshed'> = 'connection.active',
  ): Promise<ConnectedAccount> {
    const active =
      account.status === 'ACTIVE' && account.statusReason === null
        ? account
        : await this.store.writeStatus(tx, account.projectId, account.id, {
            status: 'ACTIVE',
            reason: null,
            bumpVersion: false,
          });
    if (!active) throw new Error(`connected account ${account.id} disappeared while being activated`);
    await this.events.emit(tx, event, active);
    return active;
  }

  /** REVOKED: the provider refused the grant (`invalid_grant`); the user must reconnect. */
  async markRevoked(
    tx: Queryable,
    account: AccountKey,
    reason: string,
  ): Promise<ConnectedAccount | undefined> {
    const revoked = await this.store.writeStatus(tx, account.projectId, account.id, {
      status: 'REVOKED',
      reason,
      bumpVersion: true,
    });
    if (revoked) await this.events.emit(tx, 'connection.revoked', revoked);
    return revoked;
  }

  /**
   * EXPIRED: the access token expired and refreshing kept failing. Only an ACTIVE account expires;
   * undefined (and no event) otherwise.
   */
  async markExpired(
    tx: Queryable,
    account: AccountKey,
    reason: string,
  ): Promise<ConnectedAccount | undefined> {
    const expired = await this.store.writeStatus(tx, account.projectId, account.id, {
      status: 'EXPIRED',
      reason,
      from: ['ACTIVE'],
      bumpVersion: true,
    });
    if (expired) await this.events.emit(tx, 'connection.expired', expired);
    return expired;
  }
}
