// Types of card-core.js, a browser script that Node tests import too.

export type SecretKind = 'auth' | 'signing';

export interface SealedSecret {
  readonly salt: Uint8Array;
  readonly hash: string;
}

/** The record browser-card.js keeps in IndexedDB. */
export interface BrowserCard {
  requestId: string;
  code: string;
  keys: Record<SecretKind, CryptoKeyPair>;
  secrets: Record<SecretKind, SealedSecret>;
  failures: Record<SecretKind, number>;
  /** PEM, once the counter has issued them. */
  certificates: { auth: string; signing: string } | null;
}

export type CardErrorCode =
  | 'secret-shape'
  | 'secret-incorrect'
  | 'card-locked'
  | 'no-card'
  | 'no-signing-certificate';

export class CardError extends Error {
  constructor(code: CardErrorCode, remaining?: number);
  readonly code: CardErrorCode;
  /** Tries left before the key locks, after a wrong secret. */
  readonly remaining: number | undefined;
}

export const RSA: RsaHashedKeyGenParams;
export const MAX_FAILURES: Readonly<Record<SecretKind, number>>;
export const SECRET: Readonly<Record<SecretKind, RegExp>>;

export function loadCard(): Promise<BrowserCard | undefined>;
export function saveCard(card: BrowserCard): Promise<unknown>;
export function sealed(secret: string): Promise<SealedSecret>;
export function unlock(
  card: BrowserCard,
  kind: SecretKind,
  secret: string,
  save?: (card: BrowserCard) => Promise<unknown>,
): Promise<void>;
export function signWithCard(
  card: BrowserCard | undefined,
  document: Uint8Array,
  password: string,
  save?: (card: BrowserCard) => Promise<unknown>,
  now?: Date,
): Promise<Uint8Array>;

export function byId(id: string): HTMLElement | null;
export function say(element: HTMLElement, text: string, isError: boolean): void;
export function message(form: HTMLFormElement, key: string): string;
export function cardErrorText(form: HTMLFormElement, error: unknown, kind: SecretKind): string;
