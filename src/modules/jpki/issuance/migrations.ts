import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The issuing side (mynumber zone): who holds which card, and every certificate issued.
 *
 * - jpki_subjects: the pseudonymous subject id of a resident, the only identity other
 *   zones learn of a card holder. It stays the same across cards and renewals.
 * - jpki_cards: a card per issuance; at most one active card per resident.
 * - jpki_certificates: every certificate with its revocation. `version` counts changes;
 *   `published_version` is what lgwan (and through it the internet zone's OCSP
 *   responder) has acknowledged, so a crash between change and push loses nothing.
 * - jpki_crls: the latest CRL per issuing CA (CA-wide, not one tenant's: no municipality).
 */
export const jpkiIssuerMigrations: ModuleMigrations = {
  module: 'jpki-issuer',
  migrations: [
    {
      id: '001-cards',
      sql: `
        create table jpki_subjects (
          municipality_code char(6) not null,
          person_id uuid not null,
          subject_id uuid not null unique,
          primary key (municipality_code, person_id)
        );

        create table jpki_cards (
          municipality_code char(6) not null,
          card_id uuid not null,
          person_id uuid not null,
          status text not null check (status in ('active', 'revoked')),
          issued_at timestamptz not null,
          issued_by text not null,
          revoked_at timestamptz,
          revocation_reason text,
          primary key (municipality_code, card_id)
        );
        create unique index jpki_cards_one_active on jpki_cards (municipality_code, person_id)
          where status = 'active';

        create table jpki_certificates (
          municipality_code char(6) not null,
          serial_number text not null check (serial_number ~ '^[0-9a-f]{1,40}$'),
          kind text not null check (kind in ('auth', 'signing')),
          card_id uuid not null,
          not_before timestamptz not null,
          not_after timestamptz not null,
          certificate text not null,
          revoked_at timestamptz,
          revocation_reason text,
          version integer not null default 1,
          published_version integer not null default 0,
          primary key (municipality_code, serial_number)
        );
        create unique index jpki_certificates_serial on jpki_certificates (serial_number);
        create index jpki_certificates_card on jpki_certificates (municipality_code, card_id);
        create index jpki_certificates_unpublished on jpki_certificates (serial_number)
          where published_version < version;

        create table jpki_crls (
          kind text primary key check (kind in ('auth', 'signing')),
          crl_number bigint not null,
          der bytea not null,
          this_update timestamptz not null,
          next_update timestamptz not null,
          stale boolean not null default false,
          published boolean not null default false
        );
      `,
    },
    {
      // Requests for a browser card that came in from the portal (through lgwan). Staff
      // find one by the code the resident shows at the counter; `delivered` says whether
      // the certificates have gone back out to the portal.
      id: '002-card-requests',
      sql: `
        create table jpki_card_requests (
          municipality_code char(6) not null,
          request_id uuid not null,
          code char(8) not null,
          auth_request text not null,
          signing_request text not null,
          received_at timestamptz not null,
          expires_at timestamptz not null,
          card_id uuid,
          delivered boolean not null default false,
          primary key (municipality_code, request_id),
          unique (municipality_code, code)
        );
        create index jpki_card_requests_undelivered on jpki_card_requests (request_id)
          where card_id is not null and not delivered;
      `,
    },
  ],
};
