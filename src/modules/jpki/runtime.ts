import { join } from 'node:path';
import { type JpkiConfig, MachiError } from '../../core/index.ts';
import type { Authority, CertificateKind, StatusLocations } from './pki/authority.ts';
import { createHierarchy } from './pki/hierarchy.ts';
import { loadIssuingCas, loadOcspResponders, loadTrustFiles, pkiExists, saveHierarchy } from './pki/store.ts';
import { createTrustStore, type TrustStore } from './verify/trust-store.ts';

export function locationsOf(config: JpkiConfig): StatusLocations {
  return { ocspUrl: config.ocspUrl, crlBaseUrl: config.crlBaseUrl };
}

/** `machi pki init`: a new hierarchy in the configured directory; refuses to replace one. */
export async function initPki(config: JpkiConfig, name: string, now: Date): Promise<void> {
  // Checked first as well as when saving: no keys are made for nothing.
  if (pkiExists(config.dir)) {
    throw new MachiError('conflict', `A PKI already exists in ${config.dir}; it is never overwritten.`);
  }
  const hierarchy = await createHierarchy({ name, now });
  await saveHierarchy(config.dir, hierarchy, { ...locationsOf(config), name, createdAt: now.toISOString() });
}

/** For `machi start` on a laptop: a PKI of its own on first start, the same one after. */
export async function ensurePki(config: JpkiConfig, now: Date): Promise<boolean> {
  if (pkiExists(config.dir)) return false;
  await initPki(config, 'Machi JPKI (demo)', now);
  return true;
}

export function pkiReady(config: JpkiConfig): boolean {
  return pkiExists(config.dir);
}

export const pkiMissing = () =>
  new MachiError(
    'pki-not-ready',
    'The JPKI authority is not set up here; an operator runs `machi pki init`.',
  );

/** The mynumber zone's part: the issuing CAs and their keys. */
export async function loadIssuer(config: JpkiConfig): Promise<Record<CertificateKind, Authority>> {
  return loadIssuingCas(config.dir);
}

/** The internet zone's part: what to trust, and the OCSP responders' keys. */
export async function loadRelyingParty(
  config: JpkiConfig,
): Promise<{ trust: TrustStore; responders: Record<CertificateKind, Authority> }> {
  const files = await loadTrustFiles(join(config.dir, 'trust'));
  return { trust: await createTrustStore(files), responders: await loadOcspResponders(config.dir) };
}

/** The CAs a verifier trusts, from a directory of PEM files (Machi's trust/, or J-LIS's published CAs). */
export async function loadTrustStore(trustDir: string): Promise<TrustStore> {
  return createTrustStore(await loadTrustFiles(trustDir));
}
