import type { ColumnType, Kysely } from 'kysely';
import type { CertificateKind } from '../pki/authority.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface JpkiStatusTable {
  municipality_code: string;
  serial_number: string;
  kind: CertificateKind;
  not_after: Timestamp;
  revoked_at: Timestamp | null;
  revocation_reason: string | null;
  subject_id: string | null;
  version: number;
}

export interface JpkiCrlsReceivedTable {
  kind: CertificateKind;
  crl_number: number;
  der: Uint8Array;
  this_update: Timestamp;
  next_update: Timestamp;
}

export interface JpkiCardRequestsTable {
  municipality_code: string;
  request_id: string;
  code: string;
  auth_request: string;
  signing_request: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  sent_at: Timestamp | null;
  auth_certificate: string | null;
  signing_certificate: string | null;
  issued_at: Timestamp | null;
}

export interface JpkiStatusTables {
  jpki_card_requests: JpkiCardRequestsTable;
  jpki_status: JpkiStatusTable;
  jpki_crls_received: JpkiCrlsReceivedTable;
}

export type JpkiStatusDb = Kysely<JpkiStatusTables>;
