import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { MachiError } from '../../../core/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import type { SealedKey } from './sealed-key.ts';

export const CARD_FORMAT = 'machi-jpki-card/1';

/** One key of a card: sealed private key, its public key, its certificate once issued, its counter. */
export interface CardKey {
  readonly sealed: SealedKey;
  /** SubjectPublicKeyInfo DER, base64: lets the card refuse a certificate for another key. */
  readonly publicKey: string;
  readonly certificate: string | null;
  /** Wrong PINs or passwords in a row; the key is locked at the kind's maximum. */
  readonly failures: number;
}

export interface CardContent {
  readonly format: typeof CARD_FORMAT;
  readonly cardId: string;
  readonly createdAt: string;
  /** The id the issuing municipality gave the card (what the counter revokes by). */
  readonly issuedCardId?: string;
  readonly keys: Readonly<Record<CertificateKind, CardKey>>;
}

/**
 * What one change to a card does: the new content to write (if any), then either a result
 * or an error, thrown only after the content is written (a wrong PIN counts before it fails).
 */
export type CardChange<T> = { content?: CardContent } & ({ result: T } | { error: Error });

/** Where a card keeps its state. `update` runs one change at a time (the counters must not race). */
export interface CardStorage {
  read(): Promise<CardContent>;
  update<T>(change: (content: CardContent) => Promise<CardChange<T>>): Promise<T>;
}

function settle<T>(outcome: CardChange<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

function parse(text: string, path: string): CardContent {
  try {
    const content = JSON.parse(text) as CardContent;
    if (content.format === CARD_FORMAT && content.keys?.auth && content.keys?.signing) return content;
  } catch {}
  throw new MachiError('encoding-invalid', `${path} is not a Machi card file.`);
}

/**
 * A card file on disk. Writes go to a temporary file renamed over the old one, so a
 * crash leaves the old or the new card, never half of one; a lock file (O_EXCL) makes
 * two processes take turns, so parallel guesses cannot each see a fresh counter.
 */
export function fileCardStorage(path: string): CardStorage {
  const read = async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new MachiError('not-found', `No card file at ${path}.`);
    }
    return parse(text, path);
  };
  const write = async (content: CardContent) => {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  };
  return {
    read,
    async update(change) {
      const lock = `${path}.lock`;
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      for (let attempt = 0; !handle; attempt++) {
        try {
          handle = await open(lock, 'wx');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) {
            throw new MachiError('conflict', `The card file ${path} is busy (${lock}).`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      try {
        const outcome = await change(await read());
        if (outcome.content) await write(outcome.content);
        return settle(outcome);
      } finally {
        await handle.close();
        await unlink(lock);
      }
    },
  };
}

/** A card held in memory (tests, and the issuing side before the file is handed over). */
export function memoryCardStorage(initial: CardContent): CardStorage & { current(): CardContent } {
  let content = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    current: () => content,
    read: async () => content,
    update(change) {
      const next = queue.then(async () => {
        const outcome = await change(content);
        if (outcome.content) content = outcome.content;
        return settle(outcome);
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}
