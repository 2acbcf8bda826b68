import type { BatchState, LockedAccount, OpenLot } from './batch-plan.ts';

/** An account as this process last wrote or read it, and its row version then (`xmin`). */
interface KnownAccount {
  readonly noOverdraft: boolean;
  readonly tracksExpiry: boolean;
  /** Its totals, version and open lots: absent once someone may have changed them unseen. */
  latest?: {
    readonly debitsPosted: number;
    readonly creditsPosted: number;
    readonly debitsPending: number;
    readonly version: string;
    /** Open lots, earliest expiry first (accounts that track expiry). */
    readonly lots: readonly OpenLot[];
  };
}

/** The state a batch decides on from what is known, and the versions its write checks. */
export interface KnownState {
  readonly state: BatchState;
  readonly versions: ReadonlyMap<string, string>;
}

/**
 * Accounts this process has read or written: the latest state a payment batch may decide on
 * without reading it again (postBatchIfUnchanged). The write it decides checks that every
 * debited account's row version is still the one known, as after a read, so a stale entry
 * (another process or transfer wrote the account) never posts: the batch is then read and
 * decided afresh. Whether an account may overdraw or tracks expiry never changes after it is
 * opened; its totals and lots are kept only while this process knows their latest version.
 *
 * Bounded: the least recently used accounts are forgotten first. The payers of the last
 * minutes are what it is for; a process serving forty municipalities keeps a batcher, and so
 * a bound, for each (a few hundred bytes an account).
 */
export interface KnownAccounts {
  /**
   * The batch's state from what is known, or undefined unless every account is known and every
   * debited one's latest state (lots spendable `today` only). Copies: planBatch mutates them.
   */
  stateOf(
    accountIds: readonly string[],
    debitedIds: readonly string[],
    today: string,
  ): KnownState | undefined;
  /** Whether stateOf would answer for these accounts. */
  has(accountIds: readonly string[], debitedIds: readonly string[]): boolean;
  /** Accounts as a batch read them (rows with their versions, lots of the debited ones). */
  learn(
    accounts: ReadonlyMap<string, LockedAccount>,
    versions: ReadonlyMap<string, string>,
    lots: ReadonlyMap<string, readonly OpenLot[]>,
  ): void;
  /**
   * After a batch's write committed: its debited accounts as planned (`state`, mutated by
   * planBatch), each at the version the write left (`written`) or, if the write did not
   * change it, the version it checked. Accounts it only credited keep their rules alone.
   */
  settle(
    state: BatchState,
    debitedIds: readonly string[],
    checked: ReadonlyMap<string, string>,
    written: ReadonlyMap<string, string>,
  ): void;
  /** Forgets the latest state of these accounts (written some other way, or not as planned). */
  forget(accountIds: readonly string[]): void;
}

const spendable = (lot: OpenLot, today: string) =>
  lot.remaining > 0 && (lot.expiresOn === null || lot.expiresOn >= today);

/** A lot as known after its batch: an existing lot to the next batch, never a new one. */
const keptLot = (lot: OpenLot): OpenLot => ({
  transferId: lot.transferId,
  leg: lot.leg,
  expiresOn: lot.expiresOn,
  remaining: lot.remaining,
});

export function createKnownAccounts(limit = 5_000): KnownAccounts {
  // A Map iterates in insertion order: an account used is put last, the first is the oldest.
  const known = new Map<string, KnownAccount>();

  function put(id: string, account: KnownAccount): void {
    known.delete(id);
    known.set(id, account);
    if (known.size > limit) known.delete(known.keys().next().value as string);
  }

  return {
    stateOf(accountIds, debitedIds, today) {
      const accounts = new Map<string, LockedAccount>();
      const lots = new Map<string, OpenLot[]>();
      const versions = new Map<string, string>();
      const debited = new Set(debitedIds);
      for (const id of accountIds) {
        const account = known.get(id);
        if (!account) return undefined;
        const { latest } = account;
        if (debited.has(id)) {
          if (!latest) return undefined;
          versions.set(id, latest.version);
          if (account.tracksExpiry)
            lots.set(id, latest.lots.filter((lot) => spendable(lot, today)).map(keptLot));
        }
        // An account only credited: its totals are not decided on (a credit needs no balance),
        // only moved by what the batch adds; any base will do.
        accounts.set(id, {
          noOverdraft: account.noOverdraft,
          tracksExpiry: account.tracksExpiry,
          debitsPosted: latest?.debitsPosted ?? 0,
          creditsPosted: latest?.creditsPosted ?? 0,
          debitsPending: latest?.debitsPending ?? 0,
        });
      }
      for (const id of accountIds) put(id, known.get(id) as KnownAccount);
      return { state: { accounts, lots, earlier: new Map(), today }, versions };
    },
    has(accountIds, debitedIds) {
      return (
        accountIds.every((id) => known.has(id)) &&
        debitedIds.every((id) => known.get(id)?.latest !== undefined)
      );
    },
    learn(accounts, versions, lots) {
      for (const [id, account] of accounts) {
        const version = versions.get(id);
        const accountLots = lots.get(id);
        const { noOverdraft, tracksExpiry } = account;
        put(id, {
          noOverdraft,
          tracksExpiry,
          // Lots are read only for debited accounts: without them, an account that tracks
          // expiry is known by its rules alone.
          latest:
            version !== undefined && (!tracksExpiry || accountLots)
              ? { ...account, version, lots: (accountLots ?? []).map(keptLot) }
              : undefined,
        });
      }
    },
    settle(state, debitedIds, checked, written) {
      const debited = new Set(debitedIds);
      for (const [id, account] of state.accounts) {
        const { noOverdraft, tracksExpiry, debitsPosted, creditsPosted, debitsPending } = account;
        const version = written.get(id) ?? checked.get(id);
        const lots = state.lots.get(id);
        put(id, {
          noOverdraft,
          tracksExpiry,
          latest:
            debited.has(id) && version !== undefined && (!tracksExpiry || lots)
              ? {
                  debitsPosted,
                  creditsPosted,
                  debitsPending,
                  version,
                  lots: (lots ?? []).filter((lot) => lot.remaining > 0).map(keptLot),
                }
              : undefined,
        });
      }
    },
    forget(accountIds) {
      for (const id of accountIds) {
        const account = known.get(id);
        if (account) account.latest = undefined;
      }
    },
  };
}
