// The signed notice checked by verifiers that share no code with Machi: poppler's `pdfsig`
// (what many PDF readers on Linux use) and OpenSSL's CMS. Each check is skipped only where
// its tool is not installed (CI gets pdfsig from `apt-get install poppler-utils`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNoticePdf } from './render-notice.ts';
import { signNoticePdf } from './sign-notice-pdf.ts';
import { REJECTION_REASONS, sampleNotice, type TestIdentity, testIdentity } from './test-notices.ts';

const has = (tool: string, flag: string) => spawnSync(tool, [flag], { encoding: 'utf8' }).error === undefined;
const hasPdfsig = has('pdfsig', '-v');
const hasOpenssl = has('openssl', 'version');

const dir = mkdtempSync(join(tmpdir(), 'machi-notice-tools-'));
const path = (name: string) => join(dir, name);
let identity: TestIdentity;
let signed: Uint8Array;

beforeAll(async () => {
  identity = await testIdentity();
  const pdf = await renderNoticePdf(sampleNotice({ outcome: 'rejected', reasons: REJECTION_REASONS }));
  signed = await signNoticePdf(pdf, await identity.signerFor('131016'));
  writeFileSync(path('root.pem'), identity.root.certificate.toString('pem'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfsig(bytes: Uint8Array): string {
  writeFileSync(path('notice.pdf'), bytes);
  const run = spawnSync('pdfsig', [path('notice.pdf')], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

/** The signed bytes and the CMS, as the ByteRange and the hole say. */
function parts(bytes: Uint8Array): { covered: Buffer; cms: Buffer } {
  const text = Buffer.from(bytes).toString('latin1');
  const [a, b, c, d] = (/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text) ?? [])
    .slice(1, 5)
    .map(Number) as [number, number, number, number];
  const hex = text.slice(b + 1, c - 1);
  const length = 4 + Number.parseInt(hex.slice(4, 8), 16); // 30 82 LL LL
  return {
    covered: Buffer.concat([Buffer.from(bytes.subarray(a, a + b)), Buffer.from(bytes.subarray(c, c + d))]),
    cms: Buffer.from(hex.slice(0, 2 * length), 'hex'),
  };
}

function opensslVerifies(bytes: Uint8Array, caFile: string): boolean {
  const { covered, cms } = parts(bytes);
  writeFileSync(path('covered.bin'), covered);
  writeFileSync(path('sig.der'), cms);
  const run = spawnSync('openssl', [
    'cms',
    '-verify',
    ...['-binary', '-inform', 'DER', '-in', path('sig.der'), '-content', path('covered.bin')],
    ...['-CAfile', caFile, '-purpose', 'any', '-out', path('out.bin')],
  ]);
  return run.status === 0;
}

describe.skipIf(!hasPdfsig)('pdfsig (poppler)', () => {
  it('finds the signature valid, made by 千代田区長, over the total document', () => {
    const report = pdfsig(signed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signer Certificate Common Name: 千代田区長');
    expect(report).toContain('Signature Type: adbe.pkcs7.detached');
  });

  it('finds it invalid when a signed byte is flipped', () => {
    const tampered = new Uint8Array(signed);
    const at = Buffer.from(signed).toString('latin1').indexOf('/MediaBox');
    tampered[at + 12] = (tampered[at + 12] ?? 0) ^ 0x01;
    expect(pdfsig(tampered)).not.toContain('Signature is Valid.');
  });

  it('sees that bytes appended after signing are not covered', () => {
    const report = pdfsig(Buffer.concat([signed, Buffer.from('\n% appended\n')]));
    expect(report).not.toContain('Total document signed');
  });
});

describe.skipIf(!hasOpenssl)('openssl cms -verify', () => {
  it('verifies the CMS over the ByteRange and the chain to the root', () => {
    expect(opensslVerifies(signed, path('root.pem'))).toBe(true);
  });

  it('refuses the chain with another root as the trust anchor', async () => {
    const other = await testIdentity('Another deployment');
    writeFileSync(path('other-root.pem'), other.root.certificate.toString('pem'));
    expect(opensslVerifies(signed, path('other-root.pem'))).toBe(false);
  });
});
