import type { LgCode } from '../../../core/index.ts';
import type { LifeEventKind } from '../tables.ts';

/** The basic four (基本4情報) and numbers of a person entering the registry. */
export interface NewPerson {
  readonly residentCode: string;
  readonly myNumber: string;
  readonly familyName: string;
  readonly givenName: string;
  /** Any kana form; stored as full-width katakana. */
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  /** ISO/IEC 5218: 1 male, 2 female, 9 not applicable. */
  readonly sex: 1 | 2 | 9;
  readonly birthDate: string;
}

/** Which 世帯 the person belongs to after the event. */
export type HouseholdChoice =
  /** Join the household of this resident (e.g. a newborn joins a parent's household). */
  | { readonly kind: 'join'; readonly residentCode: string; readonly relationship: string }
  /** Form a new household with the person as its head (世帯主). */
  | { readonly kind: 'new' };

export interface NewAddress {
  readonly address: string;
  readonly postalCode?: string | undefined;
}

export interface BirthInput extends NewAddress {
  readonly person: NewPerson;
  readonly household: HouseholdChoice;
}

export interface MoveInInput extends NewAddress {
  readonly person: NewPerson;
  readonly effectiveOn: string;
  readonly household: HouseholdChoice;
  readonly fromAddress?: string | undefined;
  readonly fromMunicipalityCode?: LgCode | undefined;
}

/** Events on a person already in the registry carry the version read (optimistic concurrency). */
interface ExistingPersonInput {
  readonly residentCode: string;
  readonly effectiveOn: string;
  /** The `version` the clerk saw; a change since then is a conflict. Omitted: no check. */
  readonly expectedVersion?: number | undefined;
}

export interface MoveWithinInput extends ExistingPersonInput, NewAddress {
  readonly household: HouseholdChoice | { readonly kind: 'keep' };
}

export interface MoveOutInput extends ExistingPersonInput {
  readonly toAddress?: string | undefined;
  readonly toMunicipalityCode?: LgCode | undefined;
}

export type DeathInput = ExistingPersonInput;

/** What every recorded event returns: opaque ids, never personal data. */
export interface EventResult {
  readonly kind: LifeEventKind;
  readonly eventId: string;
  readonly personId: string;
  readonly householdId: string;
  readonly version: number;
}
