import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertID, OCSPRequest, OCSPResponse, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authority, Hierarchy } from '../pki/authority.ts';
import { generateRsaKeyPair, RSA_SHA256, x509 } from '../pki/crypto.ts';
import { toPem } from '../pki/encoding.ts';
import {
  createHierarchy,
  createOcspResponderCertificate as createResponderCertificate,
} from '../pki/hierarchy.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import {
  type CertificateStatus,
  createOcspRequest,
  createOcspResponder,
  decodeGetPath,
  fetchOcspStatus,
  type OcspResponseCheck,
  ocspResponseStatus,
  parseOcspRequest,
  parseOcspResponse,
} from './index.ts';

const MINUTE = 60_000;
const revokedAt = new Date('2025-04-01T09:30:15Z');
let h: Hierarchy;
let good: x509.X509Certificate;
let revoked: x509.X509Certificate;
let stranger: x509.X509Certificate; // issued, but unknown to the status store
let impostor: Authority; // a responder of another CA that has the same name as ours
let noEku: Authority; // certified by our CA, but not for OCSP signing
const statuses = new Map<string, CertificateStatus>();

beforeAll(async () => {
  const now = new Date(Date.now() - MINUTE);
  const year = new Date(now.getTime() + 365 * 24 * 60 * MINUTE);
  h = await createHierarchy({ name: 'Machi JPKI (OCSP test)', now });
  const card = await generateRsaKeyPair(false);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=card',
    keys: card,
    signingAlgorithm: RSA_SHA256,
  });
  const locations = { ocspUrl: 'http://127.0.0.1/ocsp', crlBaseUrl: 'http://127.0.0.1/crl' };
  const issue = () =>
    issueCertificate(h.ca.auth, {
      kind: 'auth',
      request: new Uint8Array(csr.rawData),
      notBefore: now,
      notAfter: year,
      locations,
    });
  [good, revoked, stranger] = [await issue(), await issue(), await issue()];
  statuses.set(good.serialNumber, { status: 'good' });
  statuses.set(revoked.serialNumber, { status: 'revoked', revokedAt, reason: 'keyCompromise' });

  const foreignKeys = await generateRsaKeyPair(false);
  const foreignCa = await x509.X509CertificateGenerator.createSelfSigned({
    name: h.ca.auth.certificate.subject,
    keys: foreignKeys,
    signingAlgorithm: RSA_SHA256,
    notBefore: now,
    notAfter: year,
  });
  impostor = await createResponderCertificate(
    { certificate: foreignCa, privateKey: foreignKeys.privateKey },
    'auth',
    {
      name: 'Machi JPKI (OCSP test)',
      now,
    },
  );
  const plainKeys = await generateRsaKeyPair(false);
  const plain = await x509.X509CertificateGenerator.create({
    serialNumber: '8a01',
    subject: 'CN=Not an OCSP responder',
    issuer: h.ca.auth.certificate.subject,
    notBefore: now,
    notAfter: year,
    signingAlgorithm: RSA_SHA256,
    publicKey: plainKeys.publicKey,
    signingKey: h.ca.auth.privateKey,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  noEku = { certificate: plain, privateKey: plainKeys.privateKey };
});

function responder(options: { signer?: Authority; now?: () => Date } = {}) {
  return createOcspResponder({
    issuers: [{ ca: h.ca.auth.certificate, responder: options.signer ?? h.ocsp.auth }],
    lookup: async ({ serialNumber }) => statuses.get(serialNumber) ?? { status: 'unknown' },
    now: options.now ?? (() => new Date()),
  });
}

async function ask(certificate: x509.X509Certificate, nonce?: Uint8Array, signer?: Authority) {
  return responder(signer ? { signer } : {}).respond(
    createOcspRequest(certificate, h.ca.auth.certificate, nonce ? { nonce } : {}),
  );
}

function check(certificate: x509.X509Certificate, extra: Partial<OcspResponseCheck> = {}): OcspResponseCheck {
  return { issuer: h.ca.auth.certificate, certificate, now: new Date(), ...extra };
}

const refused = (detail: RegExp) => ({
  code: 'certificate-status-unknown',
  detail: expect.stringMatching(detail),
});
const statusOf = (der: Uint8Array) => AsnConvert.parse(der, OCSPResponse).responseStatus;

describe('OCSP round trip', () => {
  it('answers good, signed by the delegated responder, valid for five minutes', async () => {
    const before = Date.now() - 1000;
    const result = await parseOcspResponse(await ask(good), check(good));
    expect(result.status).toEqual({ status: 'good' });
    expect(result.thisUpdate.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.nextUpdate!.getTime() - result.thisUpdate.getTime()).toBe(5 * MINUTE);
    expect(result.producedAt).toEqual(result.thisUpdate);
  });

  it('answers revoked with its time and reason', async () => {
    const result = await parseOcspResponse(await ask(revoked), check(revoked));
    expect(result.status).toEqual({ status: 'revoked', revokedAt, reason: 'keyCompromise' });
  });

  it('answers unknown for a serial the store does not know', async () => {
    const result = await parseOcspResponse(await ask(stranger), check(stranger));
    expect(result.status).toEqual({ status: 'unknown' });
  });

  it('accepts an answer signed by the CA itself', async () => {
    const result = await parseOcspResponse(await ask(good, undefined, h.ca.auth), check(good));
    expect(result.status.status).toBe('good');
  });

  it('echoes the nonce, and refuses a different or missing one', async () => {
    const nonce = new Uint8Array(32).fill(7);
    const request = createOcspRequest(good, h.ca.auth.certificate, { nonce });
    expect(parseOcspRequest(request).nonce).toEqual(nonce);
    const answer = await responder().respond(request);
    await expect(parseOcspResponse(answer, check(good, { nonce }))).resolves.toBeDefined();
    const other = new Uint8Array(32).fill(8);
    await expect(parseOcspResponse(answer, check(good, { nonce: other }))).rejects.toMatchObject(
      refused(/nonce/),
    );
    await expect(parseOcspResponse(await ask(good), check(good, { nonce }))).rejects.toMatchObject(
      refused(/nonce/),
    );
  });

  it('refuses an answer about another certificate', async () => {
    await expect(parseOcspResponse(await ask(good), check(revoked))).rejects.toMatchObject(
      refused(/this certificate/),
    );
  });
});

describe('OCSP refusals', () => {
  it('refuses a responder certified by another CA of the same name', async () => {
    await expect(parseOcspResponse(await ask(good, undefined, impostor), check(good))).rejects.toMatchObject(
      refused(/not issued by the certificate issuer/),
    );
  });

  it('refuses a responder certificate without id-kp-OCSPSigning', async () => {
    await expect(parseOcspResponse(await ask(good, undefined, noEku), check(good))).rejects.toMatchObject(
      refused(/not authorised for OCSP signing/),
    );
  });

  it('refuses a response with one signed byte changed', async () => {
    const der = await ask(good);
    // The year of producedAt/thisUpdate, in the signed ResponseData: still valid DER, wrong signature.
    const at = Buffer.from(der).indexOf(Buffer.from(String(new Date().getUTCFullYear())));
    expect(at).toBeGreaterThan(0);
    const tampered = new Uint8Array(der);
    tampered[at + 3] = tampered[at + 3] === 0x39 ? 0x38 : tampered[at + 3]! + 1;
    await expect(parseOcspResponse(tampered, check(good))).rejects.toMatchObject(refused(/signature/));
  });

  it('refuses an expired response and one from the future', async () => {
    const old = await responder({ now: () => new Date(Date.now() - 60 * MINUTE) }).respond(
      createOcspRequest(good, h.ca.auth.certificate),
    );
    await expect(parseOcspResponse(old, check(good))).rejects.toMatchObject(refused(/expired/));
    const early = await responder({ now: () => new Date(Date.now() + 60 * MINUTE) }).respond(
      createOcspRequest(good, h.ca.auth.certificate),
    );
    await expect(parseOcspResponse(early, check(good))).rejects.toMatchObject(refused(/future/));
  });

  it('answers malformedRequest to bytes that are not a request, and the client refuses that', async () => {
    const request = createOcspRequest(good, h.ca.auth.certificate);
    for (const bad of [new Uint8Array([1, 2, 3]), request.slice(0, -1), new Uint8Array([...request, 0])]) {
      const der = await responder().respond(bad);
      expect(statusOf(der)).toBe(ocspResponseStatus.malformedRequest);
      await expect(parseOcspResponse(der, check(good))).rejects.toMatchObject(refused(/malformedRequest/));
    }
  });

  it('answers unauthorized for a CA it does not serve', async () => {
    const der = await responder().respond(
      createOcspRequest(h.ocsp.signing.certificate, h.ca.signing.certificate),
    );
    expect(statusOf(der)).toBe(ocspResponseStatus.unauthorized);
  });

  it('answers internalError when the status store fails, and reports the error', async () => {
    const errors: unknown[] = [];
    const failing = createOcspResponder({
      issuers: [{ ca: h.ca.auth.certificate, responder: h.ocsp.auth }],
      lookup: async () => {
        throw new Error('database down');
      },
      now: () => new Date(),
      onError: (error) => errors.push(error),
    });
    const der = await failing.respond(createOcspRequest(good, h.ca.auth.certificate));
    expect(statusOf(der)).toBe(ocspResponseStatus.internalError);
    expect(errors).toEqual([new Error('database down')]);
  });

  it('takes at most ten certificates per request', async () => {
    const certId = AsnConvert.parse(createOcspRequest(good, h.ca.auth.certificate), OCSPRequest).tbsRequest
      .requestList[0]!;
    const many = (n: number) =>
      new Uint8Array(
        AsnConvert.serialize(
          new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: Array(n).fill(certId) }) }),
        ),
      );
    expect(parseOcspRequest(many(10)).certIds).toHaveLength(10);
    expect(() => parseOcspRequest(many(11))).toThrow(expect.objectContaining({ code: 'validation-failed' }));
    expect(statusOf(await responder().respond(many(11)))).toBe(ocspResponseStatus.malformedRequest);
  });
});

describe('OCSP request encoding', () => {
  it('answers a hand-built SHA-1 CertID and echoes it', async () => {
    const sha1 = (data: ArrayBuffer) =>
      new Uint8Array(createHash('sha1').update(new Uint8Array(data)).digest());
    const spki = AsnConvert.parse(h.ca.auth.certificate.publicKey.rawData, SubjectPublicKeyInfo);
    const reqCert = new CertID({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: null }),
      issuerNameHash: new OctetString(sha1(h.ca.auth.certificate.subjectName.toArrayBuffer())),
      issuerKeyHash: new OctetString(sha1(spki.subjectPublicKey)),
      serialNumber: new Uint8Array(Buffer.from(revoked.serialNumber, 'hex')).buffer,
    });
    const der = new Uint8Array(
      AsnConvert.serialize(
        new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert })] }) }),
      ),
    );
    const parsed = parseOcspRequest(der).certIds[0]!;
    expect(parsed).toMatchObject({ hashAlgorithm: 'SHA-1', serialNumber: revoked.serialNumber });
    const result = await parseOcspResponse(await responder().respond(der), check(revoked));
    expect(result.status).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('writes serials as x509.X509Certificate does, also with the high bit set', () => {
    const key = parseOcspRequest(createOcspRequest(noEku.certificate, h.ca.auth.certificate)).certIds[0]!;
    expect(key.serialNumber).toBe(noEku.certificate.serialNumber);
    expect(key.serialNumber).toBe('8a01');
  });

  it('decodes the GET path in base64 and base64url, URL-encoded', () => {
    const request = createOcspRequest(good, h.ca.auth.certificate, { nonce: new Uint8Array(16).fill(0xfb) });
    const base64 = Buffer.from(request).toString('base64');
    expect(base64).toMatch(/[+/]/);
    expect(decodeGetPath(encodeURIComponent(base64))).toEqual(request);
    expect(decodeGetPath(Buffer.from(request).toString('base64url'))).toEqual(request);
    expect(() => decodeGetPath('not%ZZbase64')).toThrow(
      expect.objectContaining({ code: 'encoding-invalid' }),
    );
    expect(() => decodeGetPath('a*b')).toThrow(expect.objectContaining({ code: 'encoding-invalid' }));
  });
});

describe('fetchOcspStatus', () => {
  const serve = (status: number, type: string) =>
    (async (_url: string | URL | globalThis.Request, init?: RequestInit) => {
      expect(init?.headers).toMatchObject({ 'content-type': 'application/ocsp-request' });
      const body = await responder().respond(new Uint8Array(init!.body as Uint8Array));
      return new Response(body, { status, headers: { 'content-type': type } });
    }) as typeof fetch;
  const options = (fetcher: typeof fetch) => ({ fetch: fetcher, now: new Date(), timeoutMs: 200 });

  it('posts a request with a nonce and verifies the answer', async () => {
    const result = await fetchOcspStatus(
      'http://ocsp.test/',
      revoked,
      h.ca.auth.certificate,
      options(serve(200, 'application/ocsp-response')),
    );
    expect(result.status.status).toBe('revoked');
  });

  it('fails closed on HTTP errors, wrong media types, network errors and timeouts', async () => {
    const url = 'http://ocsp.test/';
    const issuer = h.ca.auth.certificate;
    await expect(
      fetchOcspStatus(url, good, issuer, options(serve(500, 'application/ocsp-response'))),
    ).rejects.toMatchObject(refused(/HTTP 500/));
    await expect(fetchOcspStatus(url, good, issuer, options(serve(200, 'text/html')))).rejects.toMatchObject(
      refused(/text\/html/),
    );
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(fetchOcspStatus(url, good, issuer, options(down))).rejects.toMatchObject(
      refused(/unreachable/),
    );
    const hang = ((_url: string, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as typeof fetch;
    await expect(fetchOcspStatus(url, good, issuer, options(hang))).rejects.toMatchObject(refused(/in time/));
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('OpenSSL interoperability', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => spawnSync('openssl', ['ocsp', ...args], { encoding: 'utf8' });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'machi-ocsp-'));
    writeFileSync(at('issuer.pem'), toPem(h.ca.auth.certificate.rawData, 'CERTIFICATE'));
    writeFileSync(at('cert.pem'), toPem(good.rawData, 'CERTIFICATE'));
    writeFileSync(
      at('chain.pem'),
      toPem(h.root.certificate.rawData, 'CERTIFICATE') + readFileSync(at('issuer.pem'), 'utf8'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a request built by openssl ocsp, and openssl verifies the answer as good', async () => {
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      at('issuer.pem'),
      '-cert',
      at('cert.pem'),
      '-reqout',
      at('req.der'),
      '-no_nonce',
    ]);
    const request = new Uint8Array(readFileSync(at('req.der')));
    expect(parseOcspRequest(request).certIds[0]).toMatchObject({
      hashAlgorithm: 'SHA-1',
      serialNumber: good.serialNumber,
    });
    writeFileSync(at('resp.der'), await responder().respond(request));
    const verified = openssl(
      '-respin',
      at('resp.der'),
      '-issuer',
      at('issuer.pem'),
      '-CAfile',
      at('chain.pem'),
      '-cert',
      at('cert.pem'),
      '-no_nonce',
    );
    expect(verified.stderr).toContain('Response verify OK');
    expect(verified.stdout).toContain(`${at('cert.pem')}: good`);
    expect(verified.status).toBe(0);
  });

  it('echoes an openssl nonce so that openssl accepts it, and openssl refuses it for another request', async () => {
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      at('issuer.pem'),
      '-cert',
      at('cert.pem'),
      '-reqout',
      at('nreq.der'),
    ]);
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      at('issuer.pem'),
      '-cert',
      at('cert.pem'),
      '-reqout',
      at('other.der'),
    ]);
    const request = new Uint8Array(readFileSync(at('nreq.der')));
    expect(parseOcspRequest(request).nonce).toHaveLength(16);
    writeFileSync(at('nresp.der'), await responder().respond(request));
    const verify = (req: string) =>
      openssl('-reqin', at(req), '-respin', at('nresp.der'), '-CAfile', at('chain.pem'));
    const same = verify('nreq.der');
    expect([same.status, same.stderr]).toEqual([0, expect.stringContaining('Response verify OK')]);
    const other = verify('other.der');
    expect([other.status, other.stderr]).toEqual([1, expect.stringContaining('Nonce Verify error')]);
  });
});
