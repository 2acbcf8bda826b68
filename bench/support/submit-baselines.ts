// Baselines of the submit benchmark, measured in the same run while the machine is quiet:
// - form-only filings: `verifyDocumentSignature` of the same filings on one core, in this
//   process, with the deployment's trust store and every revocation answer already cached —
//   the least a signed filing costs the server, before HTTP, the session and the database;
//   and the raw RSA-2048 verification inside it, for scale;
// - filings with a photo: the sanitizer alone on the same photos (`createSanitizer`, the
//   zone's worker count, one file per worker at a time) — the most uploads the machine
//   could rebuild with nothing else to do.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as rsaSign,
  verify as rsaVerify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MachiConfig } from '../../src/core/index.ts';
import {
  createRevocationChecker,
  loadRelyingParty,
  verifyDocumentSignature,
} from '../../src/modules/jpki/index.ts';
import { createSanitizer } from '../../src/modules/sanitize/index.ts';
import type { BenchResident } from './submit-cards.ts';
import { cardSigner, filingDocument } from './submit-signing.ts';

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));

/** Runs `step` for about `ms`, then says how many times a second it ran. */
async function rate(ms: number, step: (i: number) => unknown): Promise<number> {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 20; i++) await step(count + i);
    count += 20;
    now = performance.now();
  }
  return perSecond(count, now - start);
}

export async function verifyBaseline(
  config: MachiConfig,
  residents: readonly BenchResident[],
  filing: { procedureId: string; municipalityCode: string; data: Record<string, unknown> },
  seconds: number,
) {
  const { trust } = await loadRelyingParty(config.jpki);
  // Every certificate's status as a cached answer would give it: no responder in the loop.
  const now = new Date();
  const revocation = createRevocationChecker({
    ocsp: async () => ({ status: { status: 'good' }, thisUpdate: now, producedAt: now }),
  });
  const filings = await Promise.all(
    residents.slice(0, 200).map(async (resident, i) => {
      const signer = await cardSigner(
        Buffer.from(resident.signingCertificate, 'base64'),
        Buffer.from(resident.signingKey, 'base64'),
      );
      const document = filingDocument({ ...filing, attachments: [], filedAt: new Date(now.getTime() + i) });
      return { document, signature: signer.sign(document, now) };
    }),
  );
  const verify = async (i: number) => {
    const { document, signature } = filings[i % filings.length]!;
    const report = await verifyDocumentSignature({ trust, revocation, now: new Date() }, signature, document);
    if (!report.valid) throw new Error('baseline: a filing did not verify');
  };
  await rate(500, verify); // warm-up: JIT, the certificate and revocation caches
  const verifiesPerSecond = await rate(seconds * 1000, verify);

  const key = createPrivateKey({
    key: Buffer.from(residents[0]!.signingKey, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(key);
  const message = filings[0]!.document;
  const signature = rsaSign('sha256', message, key);
  const rsaPerSecond = await rate(1000, () => {
    if (!rsaVerify('sha256', message, publicKey, signature)) throw new Error('bad');
  });
  return { verifyDocumentSignaturePerSecond: verifiesPerSecond, rsaVerifyPerSecond: rsaPerSecond };
}

/**
 * The sanitizer alone on the same photos, as the zone calls it: each file read by its worker
 * from where it lies and the rebuilt file written beside it.
 */
export async function sanitizeBaseline(files: readonly string[], workers: number, seconds: number) {
  const photos = files.map((path) => {
    const bytes = readFileSync(path);
    return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const sanitizer = createSanitizer({ workers, limits: { maxBytes: 50 * 1024 * 1024 } });
  try {
    let next = 0;
    const one = async () => {
      const n = next++;
      // A place of its own for each file in flight (at most 2 × workers at once).
      // As the zone does: a kept scan is not written again (the original stays beside it).
      const report = await sanitizer.sanitizeFile(
        photos[n % photos.length]!,
        `${files[0]}.rebuilt-${n % 8}`,
        { leaveOutInput: true },
      );
      if (report.outcome !== 'rebuilt') throw new Error('baseline: a photo was refused');
      return report;
    };
    // Warm-up: the workers start with their first file.
    const reports = await Promise.all(Array.from({ length: workers * 2 }, one));
    let done = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (performance.now() - start < seconds * 1000) {
          await one();
          done++;
        }
      }),
    );
    return {
      filesPerSecond: +(done / ((performance.now() - start) / 1000)).toFixed(1),
      outputBytes: reports[0]!.output?.bytes,
      workers,
    };
  } finally {
    await sanitizer.close();
  }
}
