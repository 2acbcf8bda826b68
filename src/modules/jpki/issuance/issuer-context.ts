import type { AuditLog, Clock, Database } from '../../../core/index.ts';
import type { Authority, CertificateKind, StatusLocations } from '../pki/authority.ts';
import type { JpkiIssuerDb } from './tables.ts';

/** What issuing and revoking need (mynumber zone): its database, audit log, clock and the CA keys. */
export interface IssuerContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly cas: Readonly<Record<CertificateKind, Authority>>;
  readonly locations: StatusLocations;
}

export function issuerDb(database: Database): JpkiIssuerDb {
  return database.db as JpkiIssuerDb;
}

/**
 * Why a card ends, and the RFC 5280 reason its certificates carry on the CRL.
 * 'lost' is key compromise: whoever finds the card might know the PIN.
 */
export const cardEndReasons = {
  lost: 'keyCompromise',
  'moved-out': 'affiliationChanged',
  deceased: 'cessationOfOperation',
  reissued: 'superseded',
  renewed: 'superseded',
  requested: 'unspecified',
} as const;
export type CardEndReason = keyof typeof cardEndReasons;

export function isCardEndReason(value: unknown): value is CardEndReason {
  return typeof value === 'string' && Object.hasOwn(cardEndReasons, value);
}
