import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The relying side (internet zone): what the OCSP responder and resident sign-in know
 * of certificates, as published by the mynumber zone through lgwan. No name, address
 * or My Number: an auth certificate's holder is a pseudonymous subject id.
 *
 * - jpki_status: one row per certificate; `version` orders changes that may arrive
 *   out of order. Serial numbers are unique deployment-wide (one CA per kind, random
 *   128-bit serials), so the responder looks them up by serial alone.
 * - jpki_crls_received: the latest CRL of each issuing CA, served at /jpki/crl/<kind>.crl.
 */
export const jpkiStatusMigrations: ModuleMigrations = {
  module: 'jpki-status',
  migrations: [
    {
      id: '001-status',
      sql: `
        create table jpki_status (
          municipality_code char(6) not null,
          serial_number text not null check (serial_number ~ '^[0-9a-f]{1,40}$'),
          kind text not null check (kind in ('auth', 'signing')),
          not_after timestamptz not null,
          revoked_at timestamptz,
          revocation_reason text,
          subject_id uuid,
          version integer not null,
          primary key (municipality_code, serial_number)
        );
        create unique index jpki_status_serial on jpki_status (serial_number);

        create table jpki_crls_received (
          kind text primary key check (kind in ('auth', 'signing')),
          crl_number bigint not null,
          der bytea not null,
          this_update timestamptz not null,
          next_update timestamptz not null
        );
      `,
    },
    {
      // A browser card's request for certificates, made on the portal and issued at the
      // counter: the code links the two. Certificates wait here for the browser to fetch
      // them and are dropped a day after issue (the signing one carries the basic four).
      id: '002-card-requests',
      sql: `
        create table jpki_card_requests (
          municipality_code char(6) not null,
          request_id uuid not null,
          code char(8) not null,
          auth_request text not null,
          signing_request text not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          sent_at timestamptz,
          auth_certificate text,
          signing_certificate text,
          issued_at timestamptz,
          primary key (municipality_code, request_id)
        );
        create unique index jpki_card_requests_id on jpki_card_requests (request_id);
        create index jpki_card_requests_unsent on jpki_card_requests (created_at) where sent_at is null;
      `,
    },
  ],
};
