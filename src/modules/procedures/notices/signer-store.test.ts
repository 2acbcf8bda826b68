import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderNoticePdf } from './render-notice.ts';
import { signNoticePdf } from './sign-notice-pdf.ts';
import { ensureNoticeSigners, loadNoticeSigner, loadNoticeTrust, noticeKeysDir } from './signer-store.ts';
import { DAY, sampleNotice } from './test-notices.ts';
import { verifyNoticePdf } from './verify-notice-pdf.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'machi-notice-keys-'));
const dir = noticeKeysDir(dataDir);
const now = new Date(Date.now() - DAY);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the notice-signing keys on disk', () => {
  it('are made on first start, under the data directory, private keys readable by the owner only', async () => {
    expect(dir).toBe(join(dataDir, 'lgpki'));
    // Two zones starting at once in embedded mode: one root, one signer per municipality.
    const [first, second] = await Promise.all([
      ensureNoticeSigners(dir, ['131016', '011002'], { now }),
      ensureNoticeSigners(dir, ['131016', '011002'], { now }),
    ]);
    expect([...first, ...second].sort()).toEqual(['011002', '131016']);
    expect(readdirSync(join(dir, 'signers')).sort()).toEqual(['011002.pem', '131016.pem']);
    expect(readdirSync(join(dir, 'ca'))).toEqual(['root.pem']);
    for (const path of [join(dir, 'ca', 'root.pem'), join(dir, 'signers', '131016.pem')]) {
      expect(mode(path)).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    }
    expect(mode(join(dir, 'signers'))).toBe(0o700);
    expect(readFileSync(join(dir, 'trust', 'root.pem'), 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('are the same ones on the next start', async () => {
    const before = readFileSync(join(dir, 'signers', '131016.pem'), 'utf8');
    expect(await ensureNoticeSigners(dir, ['131016', '011002'], { now })).toEqual([]);
    expect(readFileSync(join(dir, 'signers', '131016.pem'), 'utf8')).toBe(before);
  });

  it('sign notices that verify against the trust/ directory', async () => {
    const signer = await loadNoticeSigner(dir, '131016');
    expect(signer.municipality).toEqual({ code: '131016', name: '千代田区', headTitle: '千代田区長' });
    const signed = await signNoticePdf(await renderNoticePdf(sampleNotice()), signer);
    const trust = await loadNoticeTrust(dir);
    await expect(verifyNoticePdf(signed, trust)).resolves.toMatchObject({ municipalityCode: '131016' });
  });

  it('renews a certificate near its end; notices signed before still verify', async () => {
    const oldSigner = await loadNoticeSigner(dir, '131016');
    const oldNotice = await signNoticePdf(await renderNoticePdf(sampleNotice()), oldSigner);
    const nearEnd = new Date(oldSigner.certificate.notAfter.getTime() - 30 * DAY);
    expect(await ensureNoticeSigners(dir, ['131016'], { now: nearEnd })).toEqual(['131016']);
    const renewed = await loadNoticeSigner(dir, '131016');
    expect(renewed.certificate.serialNumber).not.toBe(oldSigner.certificate.serialNumber);
    await expect(verifyNoticePdf(oldNotice, await loadNoticeTrust(dir))).resolves.toBeDefined();
  });

  it('says which municipality has no key yet', async () => {
    await expect(loadNoticeSigner(dir, '472018')).rejects.toMatchObject({ code: 'not-found' });
    await expect(loadNoticeSigner(dir, '123456')).rejects.toMatchObject({ code: 'lg-code-invalid' });
  });
});
