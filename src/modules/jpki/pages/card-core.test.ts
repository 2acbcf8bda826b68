// The browser card's signing password and signing key (card-core.js), run in Node with
// WebCrypto keys as the browser makes them; IndexedDB stands aside through `save`.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyDetached } from '../cms/index.ts';
import { issueTestCertificate, testHierarchy } from '../test-support.ts';
import { type BrowserCard, CardError, cardErrorText, sealed, signWithCard } from './card-core.js';
import { cardSignFormAttributes } from './portal-pages.ts';

const PASSWORD = 'TANAKA2026';
const document = new TextEncoder().encode('{"procedureId":"nursery-application"}');

let issued: Awaited<ReturnType<typeof issueTestCertificate>>;
const saved: number[] = [];
const save = async (card: BrowserCard) => {
  saved.push(card.failures.signing);
};

beforeAll(async () => {
  issued = await issueTestCertificate(await testHierarchy(), 'signing');
});

/** A card as browser-card.js stores it once the counter has issued its certificates. */
async function newCard(certificates = true): Promise<BrowserCard> {
  return {
    requestId: 'request',
    code: 'ABCD2345',
    keys: { auth: issued.keys, signing: issued.keys },
    secrets: { auth: await sealed('1234'), signing: await sealed(PASSWORD) },
    failures: { auth: 0, signing: 0 },
    certificates: certificates ? { auth: '', signing: issued.certificate.toString('pem') } : null,
  };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error) => error);

describe('signWithCard', () => {
  it('signs with the right password: the signature verifies and the counter is reset', async () => {
    const card = await newCard();
    card.failures.signing = 2;
    const signature = await signWithCard(card, document, PASSWORD, save);
    expect((await verifyDetached(signature, document)).documentIntact).toBe(true);
    expect(card.failures.signing).toBe(0);
  });

  it('counts wrong passwords, saved each time, and locks the key at the fifth', async () => {
    const card = await newCard();
    saved.length = 0;
    for (const remaining of [4, 3, 2, 1]) {
      expect(await refusal(signWithCard(card, document, 'WRONG0000', save))).toMatchObject({
        code: 'secret-incorrect',
        remaining,
      });
    }
    expect(await refusal(signWithCard(card, document, 'WRONG0000', save))).toMatchObject({
      code: 'card-locked',
    });
    expect(saved).toEqual([1, 2, 3, 4, 5]);
    // Locked: even the right password is refused, and not checked.
    expect(await refusal(signWithCard(card, document, PASSWORD, save))).toMatchObject({
      code: 'card-locked',
    });
    expect(saved).toHaveLength(5);
  });

  it('refuses a password of the wrong shape without counting it', async () => {
    const card = await newCard();
    expect(await refusal(signWithCard(card, document, 'tanaka2026', save))).toMatchObject({
      code: 'secret-shape',
    });
    expect(card.failures.signing).toBe(0);
  });

  it('says when there is no card, or no signing certificate on it', async () => {
    expect(await refusal(signWithCard(undefined, document, PASSWORD, save))).toMatchObject({
      code: 'no-card',
    });
    expect(await refusal(signWithCard(await newCard(false), document, PASSWORD, save))).toMatchObject({
      code: 'no-signing-certificate',
    });
  });
});

describe('the signing form’s messages', () => {
  /** The dataset a browser builds from the attributes the page renders. */
  function datasetOf(attributes: string): Record<string, string> {
    const pairs = [...attributes.matchAll(/ data-([a-z-]+)="([^"]*)"/g)];
    return Object.fromEntries(
      pairs.map(([, name = '', value = '']) => [
        name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        value,
      ]),
    );
  }

  it.each([
    ['ja', '署名用パスワードが違います。あと3回', 'ロックされました'],
    ['en', 'Wrong signing password. 3 more', 'locked the signing certificate'],
  ] as const)('are all on the form in %s, with the tries left filled in', (lang, wrong, locked) => {
    const form = {
      dataset: datasetOf(cardSignFormAttributes(lang).toString()),
    } as unknown as HTMLFormElement;
    expect(form.dataset.card).toBe('sign');
    const text = (code: CardError['code'], remaining?: number) =>
      cardErrorText(form, new CardError(code, remaining), 'signing');
    expect(text('secret-incorrect', 3)).toContain(wrong);
    expect(text('card-locked')).toContain(locked);
    for (const code of ['secret-shape', 'no-card', 'no-signing-certificate'] as const) {
      expect(text(code)).not.toMatch(/^[a-zA-Z]+$/); // a message, not a missing key's name
    }
    expect(cardErrorText(form, new Error('IndexedDB broke'), 'signing')).toBe(form.dataset.failed);
  });
});
