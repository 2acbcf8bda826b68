/**
 * The notice-signing identity on disk, split by who needs what (as jpki's store is):
 *
 *   <dataDir>/lgpki/trust/root.pem        the root certificate: every verifier, internet zone included
 *   <dataDir>/lgpki/ca/root.pem           the root certificate and its key: only where signers are issued
 *   <dataDir>/lgpki/signers/<lgCode>.pem  a municipality's certificate and key: the lgwan zone, which signs
 *
 * Key files are PKCS#8 PEM beside their certificate, mode 0600 in directories of mode 0700.
 * Every file appears whole or not at all (written aside, then linked or renamed into place),
 * so two zones starting together in embedded mode cannot leave half an identity: the first
 * root written wins and the other process adopts it. A production deployment would keep
 * these keys in an HSM, as LGPKI does; the files are the embedded and laptop shape.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MachiError } from '../../../core/index.ts';
import {
  decodeCertificate,
  derFrom,
  exportPrivateKey,
  importPrivateKey,
  toPem,
  type x509,
} from '../../jpki/index.ts';
import { type NoticeSigner, noticeSignerFrom } from './notice-signer.ts';
import { createNoticeTrust, type NoticeTrust } from './notice-trust.ts';
import { signerMunicipalityOf } from './signer-municipality.ts';
import { createNoticeRoot, issueSignerCertificate, type NoticeAuthority } from './signing-authority.ts';

/** Renew a signer certificate this long before it ends, so no notice is signed in its last days. */
const RENEW_BEFORE_MS = 90 * 24 * 3_600_000;

/** Where the notice keys live for a data directory (`MACHI_DATA_DIR`, default .machi). */
export function noticeKeysDir(dataDir: string): string {
  return join(dataDir, 'lgpki');
}

async function toPemPair(authority: NoticeAuthority): Promise<string> {
  const key = toPem(await exportPrivateKey(authority.privateKey), 'PRIVATE KEY');
  return `${authority.certificate.toString('pem')}\n${key}`;
}

const scratch = (path: string) => `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;

/** Writes `text` at `path` unless a file is there already; false when another writer was first. */
async function writeOnce(path: string, text: string, mode: number): Promise<boolean> {
  const temporary = scratch(path);
  await writeFile(temporary, text, { mode, flag: 'wx' });
  await chmod(temporary, mode);
  try {
    await link(temporary, path); // link(2) never replaces: the atomic "create if absent"
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
}

/** Replaces the file at `path` whole (rename(2) is atomic within a directory). */
async function replace(path: string, text: string, mode: number): Promise<void> {
  const temporary = scratch(path);
  await writeFile(temporary, text, { mode, flag: 'wx' });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

async function readPair(path: string): Promise<NoticeAuthority> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new MachiError(
      'not-found',
      `No notice-signing key at ${path}; the lgwan zone creates it on start.`,
    );
  }
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(text)?.[0];
  if (!certificate || !key) throw new MachiError('encoding-invalid', `${path} lacks its certificate or key.`);
  return {
    certificate: decodeCertificate(certificate),
    privateKey: await importPrivateKey(derFrom(key, 'key')),
  };
}

const paths = (dir: string) => ({
  rootPair: join(dir, 'ca', 'root.pem'),
  trustedRoot: join(dir, 'trust', 'root.pem'),
  signer: (code: string) => join(dir, 'signers', `${code}.pem`),
});

/** The root with its key: made on first call, read from disk after (whoever wrote it first). */
async function ensureRoot(dir: string, name: string, now: Date): Promise<NoticeAuthority> {
  for (const sub of ['ca', 'trust', 'signers']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  const { rootPair, trustedRoot } = paths(dir);
  if (!existsSync(rootPair))
    await writeOnce(rootPair, await toPemPair(await createNoticeRoot({ name, now })), 0o600);
  const root = await readPair(rootPair);
  // The public half for verifiers; derived from ca/, so a crash between the two writes heals here.
  if (!existsSync(trustedRoot)) await writeOnce(trustedRoot, `${root.certificate.toString('pem')}\n`, 0o644);
  return root;
}

export interface EnsureSignersOptions {
  readonly now: Date;
  /** The deployment's name in the root's subject. */
  readonly name?: string;
}

/**
 * For `machi start` (the lgwan zone) and tests: the root on first start, and a signer for each
 * served municipality that has none or whose certificate ends within 90 days. Returns the codes
 * given a new certificate. An old certificate stays inside the notices it signed (CMS carries
 * it), so replacing the file does not break their verification.
 */
export async function ensureNoticeSigners(
  dir: string,
  municipalityCodes: readonly string[],
  options: EnsureSignersOptions,
): Promise<string[]> {
  const root = await ensureRoot(dir, options.name ?? 'Machi (demo)', options.now);
  const issued: string[] = [];
  for (const code of municipalityCodes) {
    const municipality = signerMunicipalityOf(code);
    const path = paths(dir).signer(municipality.code);
    if (existsSync(path)) {
      const current = await readPair(path);
      if (current.certificate.notAfter.getTime() - options.now.getTime() > RENEW_BEFORE_MS) continue;
      await replace(path, await toPemPair(await issueSignerCertificate(root, municipality, options)), 0o600);
      issued.push(municipality.code);
      continue;
    }
    const fresh = await issueSignerCertificate(root, municipality, options);
    if (await writeOnce(path, await toPemPair(fresh), 0o600)) issued.push(municipality.code);
  }
  return issued;
}

/** The lgwan zone's signer for one municipality (`not-found` until ensureNoticeSigners made it). */
export async function loadNoticeSigner(dir: string, municipalityCode: string): Promise<NoticeSigner> {
  const { code } = signerMunicipalityOf(municipalityCode);
  const signer = await readPair(paths(dir).signer(code));
  // The root in the signature is a courtesy to verifiers (they hold it anyway): carried when at hand.
  const root = await readFile(paths(dir).trustedRoot, 'utf8').then(decodeCertificate, () => undefined);
  return noticeSignerFrom(signer, root ? [root] : []);
}

/** What a verifier trusts: every certificate in the PEM files of trust/ (more than one across a rollover). */
export async function loadNoticeTrust(dir: string): Promise<NoticeTrust> {
  const trustDir = join(dir, 'trust');
  if (!existsSync(trustDir)) throw new MachiError('not-found', `No notice trust directory at ${trustDir}.`);
  const roots: x509.X509Certificate[] = [];
  for (const name of (await readdir(trustDir)).filter((one) => one.endsWith('.pem')).sort()) {
    const text = await readFile(join(trustDir, name), 'utf8');
    for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
      roots.push(decodeCertificate(block));
    }
  }
  return createNoticeTrust(roots);
}
