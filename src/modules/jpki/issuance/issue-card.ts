import { randomUUID } from 'node:crypto';
import { findMunicipality, isUniqueViolation, MachiError, type TenantScope } from '../../../core/index.ts';
import { getPersonByResidentCode, type PersonRecord } from '../../registry/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import type { BasicFour } from '../pki/basic-four.ts';
import type { x509 } from '../pki/crypto.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import { fifthBirthdayAfter } from '../pki/validity.ts';
import { type IssuerContext, issuerDb } from './issuer-context.ts';
import { endCardInTransaction } from './revoke-card.ts';
import type { JpkiIssuerTrx } from './tables.ts';

export interface IssueCardInput {
  readonly residentCode: string;
  /** The card's PKCS#10 requests (DER, PEM or base64): keys are made on the card. */
  readonly requests: Readonly<Record<CertificateKind, Uint8Array | string>>;
  /** `staff:<id>` */
  readonly actor: string;
}

export interface IssuedCard {
  readonly cardId: string;
  readonly subjectId: string;
  readonly certificates: Readonly<Record<CertificateKind, x509.X509Certificate>>;
  /** The card this one replaced (revoked as superseded), if any. */
  readonly replacedCardId: string | null;
}

/**
 * 基本4情報 as the registry holds them today. The registry keeps the address within the
 * municipality; the certificate carries it whole, as a 住民票 prints it (都道府県 and
 * 市区町村 first), since a relying party does not know which town it is in.
 */
function basicFourOf(person: PersonRecord, scope: TenantScope): BasicFour {
  const town = findMunicipality(scope.municipalityCode);
  const prefix = town.kind === 'prefecture' ? town.prefecture : `${town.prefecture}${town.name}`;
  return {
    name: `${person.familyName}　${person.givenName}`,
    nameSubstitute: '',
    sex: String(person.sex) as BasicFour['sex'],
    dateOfBirth: person.birthDate,
    address: `${prefix}${person.address}`,
    addressSubstitute: '',
  };
}

export type CertificatePair = Readonly<Record<CertificateKind, x509.X509Certificate>>;

/** Both certificates for a current resident, valid until the fifth birthday after today. */
export async function issuePair(
  context: IssuerContext,
  scope: TenantScope,
  person: PersonRecord,
  requests: Readonly<Record<CertificateKind, Uint8Array | string>>,
): Promise<CertificatePair> {
  const now = context.clock.now();
  const notAfter = fifthBirthdayAfter(now, person.birthDate);
  const issue = (kind: CertificateKind) =>
    issueCertificate(context.cas[kind], {
      kind,
      request: requests[kind],
      notBefore: now,
      notAfter,
      ...(kind === 'signing' ? { basicFour: basicFourOf(person, scope) } : {}),
      locations: context.locations,
    });
  return { auth: await issue('auth'), signing: await issue('signing') };
}

/** Records a card's certificates (version 1: to be published). */
export async function insertCertificates(
  trx: JpkiIssuerTrx,
  scope: TenantScope,
  cardId: string,
  certificates: CertificatePair,
): Promise<void> {
  await trx
    .insertInto('jpki_certificates')
    .values(
      (['auth', 'signing'] as const).map((kind) => ({
        municipality_code: scope.municipalityCode,
        serial_number: certificates[kind].serialNumber.toLowerCase(),
        kind,
        card_id: cardId,
        not_before: certificates[kind].notBefore,
        not_after: certificates[kind].notAfter,
        certificate: certificates[kind].toString('pem'),
      })),
    )
    .execute();
}

/**
 * Issues a card at the counter (交付): for a resident of the municipality, both
 * certificates from the card's own requests, valid until the fifth birthday after
 * today. A card the resident already holds is revoked as superseded in the same
 * transaction: there is never more than one active card per resident, and the
 * audit entry commits with the issuance.
 */
export async function issueCard(
  context: IssuerContext,
  scope: TenantScope,
  input: IssueCardInput,
): Promise<IssuedCard> {
  const person = await getPersonByResidentCode(context.database, scope, input.residentCode);
  if (person.status !== 'resident') {
    throw new MachiError('conflict', 'A card is issued only to a current resident of the municipality.');
  }
  const now = context.clock.now();
  const certificates = await issuePair(context, scope, person, input.requests);
  const cardId = randomUUID();
  const { municipalityCode } = scope;

  const issued = issuerDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const current = await trx
        .selectFrom('jpki_cards')
        .select('card_id')
        .where('municipality_code', '=', municipalityCode)
        .where('person_id', '=', person.personId)
        .where('status', '=', 'active')
        .forUpdate()
        .executeTakeFirst();
      if (current) await endCardInTransaction(trx, context, scope, current.card_id, 'reissued', input.actor);

      await trx
        .insertInto('jpki_subjects')
        .values({ municipality_code: municipalityCode, person_id: person.personId, subject_id: randomUUID() })
        .onConflict((conflict) => conflict.columns(['municipality_code', 'person_id']).doNothing())
        .execute();
      const { subject_id: subjectId } = await trx
        .selectFrom('jpki_subjects')
        .select('subject_id')
        .where('municipality_code', '=', municipalityCode)
        .where('person_id', '=', person.personId)
        .executeTakeFirstOrThrow();

      await trx
        .insertInto('jpki_cards')
        .values({
          municipality_code: municipalityCode,
          card_id: cardId,
          person_id: person.personId,
          status: 'active',
          issued_at: now,
          issued_by: input.actor,
        })
        .execute();
      await insertCertificates(trx, scope, cardId, certificates);
      await context.audit.append(trx, {
        municipalityCode,
        actor: input.actor,
        action: 'jpki.card.issue',
        target: person.personId,
        outcome: 'success',
        details: {
          cardId,
          authSerial: certificates.auth.serialNumber.toLowerCase(),
          signingSerial: certificates.signing.serialNumber.toLowerCase(),
          replaced: current?.card_id ?? null,
        },
      });
      return { cardId, subjectId, certificates, replacedCardId: current?.card_id ?? null };
    });
  try {
    return await issued;
  } catch (error) {
    // Two counters issuing to the same resident at once: the one-active-card index refuses the second.
    if (isUniqueViolation(error)) {
      throw new MachiError('conflict', 'Another card was issued to this resident at the same moment.');
    }
    throw error;
  }
}
