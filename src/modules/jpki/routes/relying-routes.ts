import type { FastifyReply, FastifyRequest } from 'fastify';
import { type HttpApp, MachiError, type ZoneContext } from '../../../core/index.ts';
import { csrfFrom, sameToken } from '../../identity/index.ts';
import {
  decodeGetPath,
  OCSP_REQUEST_CONTENT_TYPE,
  OCSP_RESPONSE_CONTENT_TYPE,
  type OcspResponder,
} from '../ocsp/index.ts';
import { derFrom } from '../pki/encoding.ts';
import { createChallenge } from '../sign-in/challenge.ts';
import {
  endResidentSession,
  RESIDENT_ABSOLUTE_MS,
  RESIDENT_COOKIE,
  type ResidentPrincipal,
  verifyResidentSession,
} from '../sign-in/resident-sessions.ts';
import { type SignInContext, signInWithCard } from '../sign-in/sign-in.ts';
import { findCertificate, receivedCrl } from '../status/status-store.ts';
import { verifyDocumentSignature } from '../verify/verify-signature.ts';
import {
  ChallengeSchema,
  ResidentSchema,
  SignatureReportSchema,
  SignInBody,
  VerifySignatureBody,
} from './schemas.ts';

/** What the internet zone's card routes need once the PKI is loaded. */
export interface RelyingParty extends SignInContext {
  readonly ocsp: OcspResponder;
  /** This zone's public origin: challenges are bound to it. */
  readonly origin: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    resident?: ResidentPrincipal;
  }
}

/** The signed-in resident, or 401. For POSTs, also the session's CSRF token. */
export async function requireResident(
  context: ZoneContext,
  request: FastifyRequest,
): Promise<ResidentPrincipal> {
  const principal = await verifyResidentSession(
    context.database,
    request.cookies[RESIDENT_COOKIE],
    context.clock.now(),
  );
  if (!principal) throw new MachiError('authentication-required', 'Sign in with your My Number card first.');
  if (request.method !== 'GET' && !sameToken(csrfFrom(request), principal.csrfToken)) {
    throw new MachiError('csrf-invalid');
  }
  request.resident = principal;
  return principal;
}

function residentCookie(reply: FastifyReply, value: string, secure: boolean) {
  reply.setCookie(RESIDENT_COOKIE, value, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'strict',
    maxAge: RESIDENT_ABSOLUTE_MS / 1000,
  });
}

/**
 * The internet zone's JPKI routes: the OCSP responder (RFC 6960 Appendix A, POST and
 * GET), the CRLs, and resident sign-in with the card's auth certificate.
 */
export function registerRelyingRoutes(app: HttpApp, context: ZoneContext, party: () => RelyingParty): void {
  app.addContentTypeParser(
    OCSP_REQUEST_CONTENT_TYPE,
    { parseAs: 'buffer', bodyLimit: 16 * 1024 },
    (_r, body, done) => done(null, body),
  );

  const answerOcsp = async (reply: FastifyReply, request: Uint8Array) => {
    const response = await party().ocsp.respond(request);
    return reply
      .type(OCSP_RESPONSE_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(Buffer.from(response));
  };
  app.post('/jpki/ocsp', async (request, reply) => {
    if (!Buffer.isBuffer(request.body))
      throw new MachiError('unsupported-media-type', `Send ${OCSP_REQUEST_CONTENT_TYPE}.`);
    return answerOcsp(reply, new Uint8Array(request.body));
  });
  app.get('/jpki/ocsp/*', async (request, reply) => {
    const encoded = (request.params as { '*': string })['*'];
    let der: Uint8Array;
    try {
      der = decodeGetPath(encoded);
    } catch {
      der = new Uint8Array();
    }
    return answerOcsp(reply, der);
  });

  app.get('/jpki/crl/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const kind = file === 'auth.crl' ? 'auth' : file === 'signing.crl' ? 'signing' : undefined;
    if (!kind) throw new MachiError('not-found', 'CRLs are auth.crl and signing.crl.');
    const der = await receivedCrl(context.database, kind);
    if (!der) throw new MachiError('not-found', 'No CRL has been published yet.');
    return reply.type('application/pkix-crl').header('cache-control', 'max-age=30').send(Buffer.from(der));
  });

  app.post('/api/v1/jpki/challenges', { schema: { response: { 200: ChallengeSchema } } }, async () => {
    const { origin, challengeKey } = party();
    const made = createChallenge(challengeKey, origin, context.clock.now());
    return { challenge: made.challenge, origin, expiresAt: made.expiresAt.toISOString() };
  });

  app.post(
    '/api/v1/jpki/sign-in',
    { schema: { body: SignInBody, response: { 200: ResidentSchema } } },
    async (request, reply) => {
      const relying = party();
      // A sign-in posted from another site's page is refused (login CSRF): browsers say where they are.
      const from = request.headers.origin;
      if (from !== undefined && from !== relying.origin) {
        throw new MachiError('csrf-invalid', 'Sign in from this service’s own page.');
      }
      const session = await signInWithCard(
        relying,
        request.body,
        relying.origin,
        request.cookies[RESIDENT_COOKIE],
      );
      residentCookie(reply, session.cookieValue, context.config.secureCookies);
      return {
        municipalityCode: session.principal.municipalityCode,
        sessionExpiresAt: new Date(context.clock.now().getTime() + RESIDENT_ABSOLUTE_MS).toISOString(),
        card: { serialNumber: session.principal.authSerial, status: 'good' },
      };
    },
  );

  app.post('/api/v1/jpki/sign-out', async (request, reply) => {
    await requireResident(context, request);
    await endResidentSession(context.database, request.cookies[RESIDENT_COOKIE]);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/jpki/me', { schema: { response: { 200: ResidentSchema } } }, async (request) => {
    const resident = await requireResident(context, request);
    const known = await findCertificate(context.database, resident.authSerial);
    return {
      municipalityCode: resident.municipalityCode,
      card: { serialNumber: resident.authSerial, status: known?.revokedAt ? 'revoked' : 'good' },
      csrfToken: resident.csrfToken,
    };
  });

  app.post(
    '/api/v1/jpki/signatures/verify',
    { schema: { body: VerifySignatureBody, response: { 200: SignatureReportSchema } } },
    async (request) => {
      const relying = party();
      const document =
        request.body.document === '' ? new Uint8Array() : derFrom(request.body.document, 'document');
      return verifyDocumentSignature(
        { trust: relying.trust, revocation: relying.revocation, now: context.clock.now() },
        request.body.signature,
        document,
      );
    },
  );
}
