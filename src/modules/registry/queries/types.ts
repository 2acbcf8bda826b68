import type { LifeEventKind } from '../tables.ts';

export type PersonStatus = 'resident' | 'moved-out' | 'deceased';

/** A 住民票 as it reads today, with the household. `myNumber` is present: callers decide whether to show it. */
export interface PersonRecord {
  readonly personId: string;
  readonly residentCode: string;
  readonly myNumber: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  readonly sex: 1 | 2 | 9;
  readonly birthDate: string;
  readonly postalCode: string | null;
  readonly address: string;
  readonly addressSince: string;
  readonly relationship: string;
  readonly status: PersonStatus;
  readonly leftOn: string | null;
  readonly version: number;
  readonly household: {
    readonly householdId: string;
    /** null while the household has no head (e.g. after the head's death). */
    readonly headResidentCode: string | null;
    readonly members: HouseholdMember[];
  };
}

export interface HouseholdMember {
  readonly residentCode: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  readonly birthDate: string;
  readonly relationship: string;
}

export interface LifeEventRecord {
  readonly eventId: string;
  readonly kind: LifeEventKind;
  readonly effectiveOn: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly address: string | null;
  readonly postalCode: string | null;
  readonly relationship: string | null;
  readonly otherAddress: string | null;
  readonly otherMunicipalityCode: string | null;
}

export interface ResidencePeriod {
  readonly validFrom: string;
  /** Exclusive; null while the period is open. */
  readonly validTo: string | null;
  readonly address: string;
  readonly householdId: string;
}

export interface PersonHistory {
  readonly personId: string;
  readonly residentCode: string;
  readonly events: LifeEventRecord[];
  readonly residences: ResidencePeriod[];
}

/** One row of a search result: what a clerk needs to pick the right person, and no more. */
export interface PersonSummary {
  readonly residentCode: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  readonly birthDate: string;
  readonly address: string;
  readonly status: PersonStatus;
}

export interface Page<T> {
  readonly items: T[];
  /** Offset of the next page, or null on the last page. */
  readonly nextOffset: number | null;
}
