import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MachiError } from '../../../core/index.ts';
import type { Authority, CertificateKind, Hierarchy, StatusLocations } from './authority.ts';
import { exportPrivateKey, importPrivateKey, type x509 } from './crypto.ts';
import { decodeCertificate, derFrom, toPem } from './encoding.ts';

/**
 * A deployment's PKI on disk, split by who needs what, so that each zone's host can be
 * given only its part:
 *
 *   trust/   certificates only (root, auth CA, signing CA): every verifier
 *   ca/      the CAs' private keys: the mynumber zone, which issues and revokes
 *   ocsp/    the delegated OCSP responders' certificates and keys: where the responder runs
 *   pki.json the status locations written into certificates
 *
 * Keys are PKCS#8 PEM, mode 0600 in directories of mode 0700. A production deployment
 * would keep the CA keys in an HSM; the files are the embedded and laptop shape.
 */
export interface PkiSettings extends StatusLocations {
  readonly name: string;
  readonly createdAt: string;
}

const KEY = 'PRIVATE KEY';

async function writeSecret(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

async function makeDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}

async function keyPem(authority: Authority): Promise<string> {
  return toPem(await exportPrivateKey(authority.privateKey), KEY);
}

/** Writes a new hierarchy; refuses to overwrite an existing one (its certificates are in use). */
export async function saveHierarchy(dir: string, hierarchy: Hierarchy, settings: PkiSettings): Promise<void> {
  if (existsSync(join(dir, 'pki.json'))) {
    throw new MachiError('conflict', `A PKI already exists in ${dir}; it is never overwritten.`);
  }
  for (const sub of ['trust', 'ca', 'ocsp']) await makeDir(join(dir, sub));
  const certPem = (authority: Authority) => `${authority.certificate.toString('pem')}\n`;
  await writeFile(join(dir, 'trust', 'root.pem'), certPem(hierarchy.root));
  await writeSecret(join(dir, 'ca', 'root.key.pem'), await keyPem(hierarchy.root));
  for (const kind of ['auth', 'signing'] as const) {
    await writeFile(join(dir, 'trust', `${kind}-ca.pem`), certPem(hierarchy.ca[kind]));
    await writeSecret(join(dir, 'ca', `${kind}-ca.key.pem`), await keyPem(hierarchy.ca[kind]));
    await writeFile(join(dir, 'ocsp', `${kind}.pem`), certPem(hierarchy.ocsp[kind]));
    await writeSecret(join(dir, 'ocsp', `${kind}.key.pem`), await keyPem(hierarchy.ocsp[kind]));
  }
  await writeFile(join(dir, 'pki.json'), `${JSON.stringify(settings, null, 2)}\n`, { flag: 'wx' });
}

export function pkiExists(dir: string): boolean {
  return existsSync(join(dir, 'pki.json'));
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new MachiError('not-found', `No ${what} at ${path}; run \`machi pki init\` first.`);
  }
}

export async function loadSettings(dir: string): Promise<PkiSettings> {
  return JSON.parse(await readText(join(dir, 'pki.json'), 'PKI settings')) as PkiSettings;
}

async function loadAuthority(certPath: string, keyPath: string): Promise<Authority> {
  const certificate = decodeCertificate(await readText(certPath, 'certificate'));
  const privateKey = await importPrivateKey(derFrom(await readText(keyPath, 'private key'), 'private key'));
  return { certificate, privateKey };
}

/** The issuing CAs with their keys (mynumber zone). */
export async function loadIssuingCas(dir: string): Promise<Record<CertificateKind, Authority>> {
  const load = (kind: CertificateKind) =>
    loadAuthority(join(dir, 'trust', `${kind}-ca.pem`), join(dir, 'ca', `${kind}-ca.key.pem`));
  return { auth: await load('auth'), signing: await load('signing') };
}

/** The delegated OCSP responders with their keys (where the responder runs). */
export async function loadOcspResponders(dir: string): Promise<Record<CertificateKind, Authority>> {
  const load = (kind: CertificateKind) =>
    loadAuthority(join(dir, 'ocsp', `${kind}.pem`), join(dir, 'ocsp', `${kind}.key.pem`));
  return { auth: await load('auth'), signing: await load('signing') };
}

/** All certificates in PEM files whose names start with `prefix` (a deployment may trust several). */
async function certificatesIn(dir: string, prefix: string): Promise<x509.X509Certificate[]> {
  const names = (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.pem'));
  const certificates: x509.X509Certificate[] = [];
  for (const name of names.sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
      certificates.push(decodeCertificate(block));
    }
  }
  return certificates;
}

/**
 * The trust anchors and issuing CAs a verifier accepts, from a directory of PEM files:
 * `root*.pem`, `auth-ca*.pem`, `signing-ca*.pem`. Machi's own `trust/` has this shape;
 * so can a directory holding J-LIS's published CA certificates: the same code verifies both.
 */
export async function loadTrustFiles(trustDir: string) {
  if (!existsSync(trustDir)) {
    throw new MachiError('not-found', `No trust directory at ${trustDir}; run \`machi pki init\` first.`);
  }
  return {
    roots: await certificatesIn(trustDir, 'root'),
    issuers: {
      auth: await certificatesIn(trustDir, 'auth-ca'),
      signing: await certificatesIn(trustDir, 'signing-ca'),
    },
  };
}
