import type { HttpApp, ZoneContext } from '../../core/index.ts';
import type { IssuerContext } from './issuance/issuer-context.ts';
import { createOcspResponder, fetchOcspStatus, type OcspResult } from './ocsp/index.ts';
import { registerCardRequestRoutes } from './routes/card-request-routes.ts';
import { registerCounterPages } from './routes/counter-page-routes.ts';
import { registerIssuerRoutes } from './routes/issuer-routes.ts';
import { registerPortalPages } from './routes/portal-page-routes.ts';
import { type RelyingParty, registerRelyingRoutes } from './routes/relying-routes.ts';
import { loadIssuer, loadRelyingParty, locationsOf, pkiMissing, pkiReady } from './runtime.ts';
import { challengeKey } from './sign-in/challenge.ts';
import type { ResidentSignInDb } from './sign-in/tables.ts';
import { statusForOcsp } from './status/ocsp-lookup.ts';
import { receivedCrl } from './status/status-store.ts';
import { createRevocationChecker, fetchCrlOverHttp } from './verify/revocation.ts';

/** A part of the JPKI that appears once `machi pki init` has run (checked again until then). */
export interface Lazy<T> {
  /** The loaded part, or undefined while the PKI does not exist here. */
  current(): T | undefined;
  /** Loads it if the PKI now exists; call periodically. */
  refresh(): Promise<T | undefined>;
}

function lazy<T>(load: () => Promise<T>, ready: () => boolean): Lazy<T> {
  let value: T | undefined;
  let loading: Promise<T | undefined> | undefined;
  return {
    current: () => value,
    refresh() {
      if (value || !ready()) return Promise.resolve(value);
      loading ??= load()
        .then((loaded) => {
          value = loaded;
          return loaded;
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
  };
}

/** mynumber zone: card issuance and revocation at the counter. */
export async function registerJpkiIssuer(app: HttpApp, context: ZoneContext): Promise<Lazy<IssuerContext>> {
  const issuer = lazy<IssuerContext>(
    async () => ({
      database: context.database,
      audit: context.audit,
      clock: context.clock,
      cas: await loadIssuer(context.config.jpki),
      locations: locationsOf(context.config.jpki),
    }),
    () => pkiReady(context.config.jpki),
  );
  await issuer.refresh();
  registerIssuerRoutes(app, context, () => issuer.current());
  registerCounterPages(app, context, () => issuer.current());
  return issuer;
}

/**
 * internet zone: the OCSP responder and CRLs, and resident sign-in. The zone's own
 * revocation checks ask its own responder in process (same bytes, same checks, no
 * HTTP round trip to itself); an OCSP URL elsewhere is asked over HTTP.
 */
export async function registerJpkiRelyingParty(
  app: HttpApp,
  context: ZoneContext,
  hooks: { onCardRequest: () => void } = { onCardRequest: () => {} },
): Promise<Lazy<RelyingParty>> {
  const { jpki } = context.config;
  const party = lazy<RelyingParty>(
    async () => {
      const { trust, responders } = await loadRelyingParty(jpki);
      const ocsp = createOcspResponder({
        issuers: trust.issuers.map((issuer) => ({
          ca: issuer.certificate,
          responder: responders[issuer.kind],
          kind: issuer.kind,
        })),
        lookup: ({ issuer, serialNumber }) => statusForOcsp(context.database, issuer.kind, serialNumber),
        now: () => context.clock.now(),
        onError: (error) => app.log.error({ err: error }, 'OCSP lookup failed'),
      });
      const inProcess: typeof fetch = async (_url, init) =>
        new Response(await ocsp.respond(new Uint8Array(init?.body as Uint8Array)), {
          headers: { 'content-type': 'application/ocsp-response' },
        });
      // Sign-ins that find a card's cached status run out at the same moment share one OCSP
      // request (its answer is what the cache would have given them all) instead of each
      // asking: a card in use at a high rate would otherwise send a burst of requests.
      const asking = new Map<string, Promise<OcspResult>>();
      const revocation = createRevocationChecker({
        ocsp: (url, certificate, issuer, now) => {
          const key = `${url}\n${issuer.subject}\n${issuer.serialNumber}\n${certificate.serialNumber}`;
          let answer = asking.get(key);
          if (!answer) {
            answer = fetchOcspStatus(url, certificate, issuer, {
              now,
              ...(url === jpki.ocspUrl ? { fetch: inProcess } : {}),
            }).finally(() => asking.delete(key));
            asking.set(key, answer);
          }
          return answer;
        },
        fetchCrl: async (url) => {
          const kind =
            url === `${jpki.crlBaseUrl}/auth.crl`
              ? 'auth'
              : url === `${jpki.crlBaseUrl}/signing.crl`
                ? 'signing'
                : undefined;
          // Our own CRLs are in this zone's database; another authority's are fetched.
          if (!kind) return fetchCrlOverHttp(url);
          const der = await receivedCrl(context.database, kind);
          if (!der) throw new Error('no CRL yet');
          return der;
        },
      });
      return {
        database: context.database,
        audit: context.audit,
        clock: context.clock,
        trust,
        revocation,
        challengeKey: await challengeKey(context.database.db as ResidentSignInDb),
        ocsp,
        origin: new URL(context.config.zones.internet.url).origin,
      };
    },
    () => pkiReady(jpki),
  );
  await party.refresh();
  registerCardRequestRoutes(app, context, hooks.onCardRequest);
  registerPortalPages(app, context);
  registerRelyingRoutes(app, context, () => {
    const ready = party.current();
    if (!ready) throw pkiMissing();
    return ready;
  });
  return party;
}
