import { verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hierarchy } from '../pki/authority.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import { DAY, testBasicFour, testHierarchy, testLocations } from '../test-support.ts';
import { fileCardStorage, memoryCardStorage } from './card-storage.ts';
import { manufactureCard, VirtualCard } from './virtual-card.ts';

// scrypt at a tenth of its cost: the tests unlock keys dozens of times.
const cost = 2 ** 10;
const secrets = { pin: '1234', password: 'MACHI2026' };
let hierarchy: Hierarchy;

beforeAll(async () => {
  hierarchy = await testHierarchy();
});

async function issuedCard() {
  const made = await manufactureCard(secrets, { now: new Date(), cost });
  const storage = memoryCardStorage(made.content);
  const card = new VirtualCard(storage);
  for (const kind of ['auth', 'signing'] as const) {
    const certificate = await issueCertificate(hierarchy.ca[kind], {
      kind,
      request: made.requests[kind],
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY),
      ...(kind === 'signing' ? { basicFour: testBasicFour } : {}),
      locations: testLocations,
    });
    await card.install(kind, certificate.toString('pem'));
  }
  return { card, storage, made };
}

describe('VirtualCard', () => {
  it('signs with the key its certificate certifies, once given the right PIN or password', async () => {
    const { card } = await issuedCard();
    const data = new TextEncoder().encode('challenge');
    for (const [kind, secret] of [
      ['auth', secrets.pin],
      ['signing', secrets.password],
    ] as const) {
      const signature = await card.sign(kind, secret, data);
      const certificate = await card.certificate(kind);
      const publicKey = {
        key: Buffer.from(certificate.publicKey.rawData),
        format: 'der',
        type: 'spki',
      } as const;
      expect(verify('sha256', data, publicKey, signature)).toBe(true);
    }
  });

  it('keeps its private keys only sealed: the file holds no PKCS#8 key in clear', async () => {
    const { storage } = await issuedCard();
    const text = JSON.stringify(storage.current());
    // PKCS#8 RSA keys in base64 start with MIIE; a sealed one is AES-GCM ciphertext.
    expect(text).not.toMatch(/"MIIE/);
    expect(storage.current().keys.auth.sealed).toMatchObject({ kdf: 'scrypt', N: cost, r: 8, p: 1 });
  });

  it('locks the auth key after 3 wrong PINs in a row, and then refuses the right one', async () => {
    const { card } = await issuedCard();
    const data = new Uint8Array([1]);
    await expect(card.sign('auth', '0000', data)).rejects.toMatchObject({
      code: 'pin-incorrect',
      extensions: { remainingTries: 2 },
    });
    await expect(card.sign('auth', '0001', data)).rejects.toMatchObject({
      code: 'pin-incorrect',
      extensions: { remainingTries: 1 },
    });
    await expect(card.sign('auth', '0002', data)).rejects.toMatchObject({ code: 'card-locked' });
    await expect(card.sign('auth', secrets.pin, data)).rejects.toMatchObject({ code: 'card-locked' });
    expect(await card.status('auth')).toMatchObject({ locked: true, remainingTries: 0 });
    // The signing key has its own counter.
    expect((await card.sign('signing', secrets.password, data)).length).toBe(256);
  });

  it('locks the signing key after 5 wrong passwords; a right one before that resets the count', async () => {
    const { card } = await issuedCard();
    const data = new Uint8Array([1]);
    for (let i = 0; i < 4; i++)
      await expect(card.sign('signing', 'WRONG1', data)).rejects.toMatchObject({ code: 'pin-incorrect' });
    await card.sign('signing', secrets.password, data);
    expect(await card.status('signing')).toMatchObject({ locked: false, remainingTries: 5 });
    for (let i = 0; i < 4; i++)
      await expect(card.sign('signing', 'WRONG1', data)).rejects.toMatchObject({ code: 'pin-incorrect' });
    await expect(card.sign('signing', 'WRONG1', data)).rejects.toMatchObject({ code: 'card-locked' });
  });

  it('counts parallel wrong guesses one by one (no try goes uncounted)', async () => {
    const { card } = await issuedCard();
    const data = new Uint8Array([1]);
    const results = await Promise.allSettled(
      ['0000', '0001', '0002', '0003', secrets.pin].map((pin) => card.sign('auth', pin, data)),
    );
    const codes = results.map((result) =>
      result.status === 'rejected' ? (result.reason as { code: string }).code : 'ok',
    );
    expect(codes).toEqual(['pin-incorrect', 'pin-incorrect', 'card-locked', 'card-locked', 'card-locked']);
  });

  it('refuses secrets of the wrong shape without counting a try', async () => {
    const { card } = await issuedCard();
    for (const pin of ['123', '12345', 'abcd', '１２３４']) {
      await expect(card.sign('auth', pin, new Uint8Array())).rejects.toMatchObject({
        code: 'validation-failed',
      });
    }
    for (const password of ['SHORT', 'lowercase1', 'TOOLONGPASSWORD12', 'WITH SPACE']) {
      await expect(card.sign('signing', password, new Uint8Array())).rejects.toMatchObject({
        code: 'validation-failed',
      });
    }
    expect(await card.status('auth')).toMatchObject({ remainingTries: 3 });
    await expect(
      manufactureCard({ pin: '12', password: 'MACHI2026' }, { now: new Date(), cost }),
    ).rejects.toMatchObject({
      code: 'validation-failed',
    });
  });

  it("refuses to install a certificate for another card's key", async () => {
    const { card } = await issuedCard();
    const other = await issuedCard();
    const foreign = (await other.card.certificate('auth')).toString('pem');
    await expect(card.install('auth', foreign)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('card file', () => {
  it('persists counters across processes, writes 0600, refuses a file that is not a card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machi-card-'));
    try {
      const { storage } = await issuedCard();
      const path = join(dir, 'card.json');
      writeFileSync(path, JSON.stringify(storage.current()), { mode: 0o600 });
      await expect(
        new VirtualCard(fileCardStorage(path)).sign('auth', '9999', new Uint8Array()),
      ).rejects.toMatchObject({
        code: 'pin-incorrect',
      });
      // A new reader of the same file sees the try.
      expect(await new VirtualCard(fileCardStorage(path)).status('auth')).toMatchObject({
        remainingTries: 2,
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(path, 'utf8')).keys.auth.failures).toBe(1);
      writeFileSync(join(dir, 'bad.json'), '{"format":"something else"}');
      await expect(
        new VirtualCard(fileCardStorage(join(dir, 'bad.json'))).status('auth'),
      ).rejects.toMatchObject({
        code: 'encoding-invalid',
      });
      await expect(
        new VirtualCard(fileCardStorage(join(dir, 'none.json'))).status('auth'),
      ).rejects.toMatchObject({
        code: 'not-found',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
