import { Type } from 'typebox';

// PEM, DER-as-base64 or base64url: the decoders check the shape and answer encoding-invalid.
const Encoded = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Pem = Type.String({ maxLength: 8192 });

export const MunicipalityParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });
export const CardParams = Type.Object({
  lgCode: Type.String({ maxLength: 20 }),
  cardId: Type.String({ format: 'uuid', maxLength: 36 }),
});
export const ResidentParams = Type.Object({
  lgCode: Type.String({ maxLength: 20 }),
  residentCode: Type.String({ maxLength: 20 }),
});

export const IssueCardBody = Type.Object(
  {
    residentCode: Type.String({ pattern: '^[0-9]{11}$' }),
    /** The card's PKCS#10 requests. */
    requests: Type.Object({ auth: Encoded(8192), signing: Encoded(8192) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const IssuedCardSchema = Type.Object({
  cardId: Type.String(),
  notAfter: Type.String(),
  replacedCardId: Type.Union([Type.String(), Type.Null()]),
  certificates: Type.Object({ auth: Pem, signing: Pem }),
});

export const RevokeBody = Type.Object(
  {
    reason: Type.Union(
      ['lost', 'moved-out', 'deceased', 'reissued', 'requested'].map((reason) => Type.Literal(reason)),
    ),
  },
  { additionalProperties: false },
);

export const RevokedSchema = Type.Object({ cardId: Type.String(), revoked: Type.Boolean() });

export const CardListSchema = Type.Object({
  cards: Type.Array(
    Type.Object({
      cardId: Type.String(),
      status: Type.String(),
      issuedAt: Type.String(),
      revokedAt: Type.Union([Type.String(), Type.Null()]),
      revocationReason: Type.Union([Type.String(), Type.Null()]),
      certificates: Type.Array(
        Type.Object({
          kind: Type.String(),
          serialNumber: Type.String(),
          notAfter: Type.String(),
          revokedAt: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
  ),
});

export const ChallengeSchema = Type.Object({
  challenge: Type.String(),
  origin: Type.String(),
  expiresAt: Type.String(),
});

export const SignInBody = Type.Object(
  {
    challenge: Type.String({ minLength: 1, maxLength: 1024 }),
    certificate: Encoded(8192),
    signature: Encoded(1024),
  },
  { additionalProperties: false },
);

export const ResidentSchema = Type.Object({
  municipalityCode: Type.String(),
  sessionExpiresAt: Type.Optional(Type.String()),
  card: Type.Object({ serialNumber: Type.String(), status: Type.String() }),
  /** For the portal's own scripts: sent back as X-CSRF-Token with every POST (other sites cannot read it). */
  csrfToken: Type.Optional(Type.String()),
});

export const VerifySignatureBody = Type.Object(
  {
    /** The signed document, base64. */
    document: Type.String({ maxLength: 700_000 }),
    signature: Encoded(64 * 1024),
  },
  { additionalProperties: false },
);

export const SignatureReportSchema = Type.Object({
  valid: Type.Boolean(),
  documentIntact: Type.Boolean(),
  serialNumber: Type.String(),
  signingTime: Type.Union([Type.String(), Type.Null()]),
  signer: Type.Object({
    name: Type.String(),
    nameSubstitute: Type.String(),
    sex: Type.String(),
    dateOfBirth: Type.String(),
    address: Type.String(),
    addressSubstitute: Type.String(),
  }),
  certificateStatus: Type.Object({
    atSigning: Type.String(),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
    source: Type.String(),
  }),
});

export const IssueFromRequestBody = Type.Object(
  {
    residentCode: Type.String({ pattern: '^[0-9]{11}$' }),
    /** The code the resident's browser shows (hyphens and spaces are ignored). */
    code: Type.String({ minLength: 8, maxLength: 12 }),
  },
  { additionalProperties: false },
);

export const IssuedFromRequestSchema = Type.Object({
  cardId: Type.String(),
  requestId: Type.String(),
  notAfter: Type.String(),
  replacedCardId: Type.Union([Type.String(), Type.Null()]),
});
