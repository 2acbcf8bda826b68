import type { ColumnType, Kysely, Transaction } from 'kysely';
import type { CertificateKind } from '../pki/authority.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface JpkiSubjectsTable {
  municipality_code: string;
  person_id: string;
  subject_id: string;
}

export interface JpkiCardsTable {
  municipality_code: string;
  card_id: string;
  person_id: string;
  status: 'active' | 'revoked';
  issued_at: Timestamp;
  issued_by: string;
  revoked_at: Timestamp | null;
  revocation_reason: string | null;
}

export interface JpkiCertificatesTable {
  municipality_code: string;
  serial_number: string;
  kind: CertificateKind;
  card_id: string;
  not_before: Timestamp;
  not_after: Timestamp;
  certificate: string;
  revoked_at: Timestamp | null;
  revocation_reason: string | null;
  version: ColumnType<number, number | undefined, number>;
  published_version: ColumnType<number, number | undefined, number>;
}

export interface JpkiCrlsTable {
  kind: CertificateKind;
  crl_number: number;
  der: Uint8Array;
  this_update: Timestamp;
  next_update: Timestamp;
  stale: ColumnType<boolean, boolean | undefined, boolean>;
  published: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface JpkiReceivedCardRequestsTable {
  municipality_code: string;
  request_id: string;
  code: string;
  auth_request: string;
  signing_request: string;
  received_at: Timestamp;
  expires_at: Timestamp;
  card_id: string | null;
  delivered: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface JpkiIssuerTables {
  jpki_card_requests: JpkiReceivedCardRequestsTable;
  jpki_subjects: JpkiSubjectsTable;
  jpki_cards: JpkiCardsTable;
  jpki_certificates: JpkiCertificatesTable;
  jpki_crls: JpkiCrlsTable;
}

export type JpkiIssuerDb = Kysely<JpkiIssuerTables>;
export type JpkiIssuerTrx = Transaction<JpkiIssuerTables>;
