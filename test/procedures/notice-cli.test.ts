// `machi notice verify`: a resident (or anyone) checks a disposition notice PDF with the
// municipalities' root: who signed it and when; an altered or foreign notice exits 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureNoticeSigners,
  loadNoticeSigner,
  renderNoticePdf,
  signerMunicipalityOf,
  signNoticePdf,
} from '../../src/modules/procedures/index.ts';
import { runMachi } from '../support/machi.ts';

const dir = mkdtempSync(join(tmpdir(), 'machi-notice-cli-'));
const keys = join(dir, 'lgpki');
const other = join(dir, 'other-lgpki');
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  await ensureNoticeSigners(keys, ['131016'], { now: new Date() });
  await ensureNoticeSigners(other, ['131016'], { now: new Date() });
  const pdf = await renderNoticePdf({
    documentNumber: '電子申請第ABC234号',
    issuedOn: new Date(),
    addressee: { name: '佐藤　花子' },
    municipality: signerMunicipalityOf('131016'),
    title: '罹災証明書の発行申請 決定通知書',
    outcome: 'approved',
    procedure: { name: '罹災証明書の発行申請' },
    receiptNumber: '131016-20261130-ABC234',
    filedOn: new Date(),
    decision: '申請のとおり決定しました。',
  });
  const signed = await signNoticePdf(pdf, await loadNoticeSigner(keys, '131016'));
  writeFileSync(file('notice.pdf'), signed);
  writeFileSync(file('appended.pdf'), Buffer.concat([Buffer.from(signed), Buffer.from('\n% later\n')]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('machi notice verify', () => {
  it('says who signed a notice, and when (exit 0); as JSON too', async () => {
    const text = await runMachi('notice', 'verify', '--in', file('notice.pdf'), '--trust', keys);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('valid');
    expect(text.stdout).toContain('千代田区長');
    const json = await runMachi('notice', 'verify', '--in', file('notice.pdf'), '--trust', keys, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, municipalityCode: '131016' });
  });

  it('exits 1 for a notice changed after signing, or signed under another root', async () => {
    const appended = await runMachi(
      'notice',
      'verify',
      '--in',
      file('appended.pdf'),
      '--trust',
      keys,
      '--json',
    );
    expect(appended.code).toBe(1);
    expect(JSON.parse(appended.stdout)).toMatchObject({ valid: false, reason: 'document-altered' });
    const foreign = await runMachi('notice', 'verify', '--in', file('notice.pdf'), '--trust', other);
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toContain('NOT valid');
  });

  it('refuses a missing file with a message and a non-zero exit', async () => {
    const missing = await runMachi('notice', 'verify', '--in', file('nope.pdf'), '--trust', keys);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.length).toBeGreaterThan(0);
  });
});
