import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../catalogue/load-catalogue.ts';
import { applyPrefill } from './apply-prefill.ts';
import type { PrefillAnswer } from './prefill-store.ts';

const catalogue = loadCatalogue();
const NURSERY = catalogue.get('childcare-benefit-certification')!;
const CARE = catalogue.get('care-need-certification')!;

const answer: PrefillAnswer = {
  found: true,
  person: {
    name: '山田\u3000花子',
    nameKana: 'ヤマダ\u3000ハナコ',
    postalCode: '1000001',
    address: '東京都千代田区千代田一丁目1番1号',
    birthDate: '1992-05-05',
    sex: '2',
  },
  householdMembers: [
    {
      name: '山田\u3000太郎',
      nameKana: 'ヤマダ\u3000タロウ',
      birthDate: '1990-04-01',
      sex: '1',
      relationship: '世帯主',
    },
    {
      name: '山田\u3000花子',
      nameKana: 'ヤマダ\u3000ハナコ',
      birthDate: '1992-05-05',
      sex: '2',
      relationship: '妻',
    },
    {
      name: '山田\u3000一郎',
      nameKana: 'ヤマダ\u3000イチロウ',
      birthDate: '2024-12-24',
      sex: '1',
      relationship: '子',
    },
  ],
  asOf: '2025-06-01',
};

/** The items a filing's check finds at fault (by pointer). */
const faults = (procedure: typeof NURSERY, data: Record<string, unknown>) =>
  procedure.validate(data).map((error) => error.path);

describe('applyPrefill', () => {
  it("fills the applicant's items and the household table following the procedure's prefill", () => {
    expect(NURSERY.definition.prefill['/household']).toBe('householdMembers');
    const data = applyPrefill(NURSERY, answer);
    expect(data.guardian).toEqual({
      name: '山田\u3000花子',
      nameKana: 'ヤマダ\u3000ハナコ',
      birthDate: '1992-05-05',
      postalCode: '100-0001',
      address: '東京都千代田区千代田一丁目1番1号',
    });
    // The rows take the items they have (name, 続柄, birth date); kana and sex are not asked there.
    expect(data.household).toEqual([
      { name: '山田\u3000太郎', relationship: '世帯主', birthDate: '1990-04-01' },
      { name: '山田\u3000花子', relationship: '妻', birthDate: '1992-05-05' },
      { name: '山田\u3000一郎', relationship: '子', birthDate: '2024-12-24' },
    ]);
    // What was filled is valid as the form checks it; what is left is what the resident types.
    const left = faults(NURSERY, data);
    expect(left.filter((path) => path.startsWith('/guardian/') || path.startsWith('/household'))).toEqual([
      '/guardian/phone',
      '/guardian/relationshipToChild',
    ]);
  });

  it('never overwrites what the resident typed, and leaves the data given unchanged', () => {
    const typed = { guardian: { name: '山田 はな子', phone: '090-1234-5678' }, household: [{ name: 'x' }] };
    const data = applyPrefill(NURSERY, answer, typed);
    expect(data.guardian).toMatchObject({
      name: '山田 はな子',
      phone: '090-1234-5678',
      nameKana: 'ヤマダ\u3000ハナコ',
    });
    expect(data.household).toEqual([{ name: 'x' }]);
    expect(typed).toEqual({
      guardian: { name: '山田 はな子', phone: '090-1234-5678' },
      household: [{ name: 'x' }],
    });
  });

  it("writes sex as the form's enum has it, and leaves 9 (not applicable) to the resident", () => {
    expect(CARE.definition.prefill['/insured/sex']).toBe('sex');
    expect((applyPrefill(CARE, answer).insured as Record<string, unknown>).sex).toBe('female');
    const notApplicable = { ...answer, person: { ...answer.person!, sex: '9' as const } };
    expect(applyPrefill(CARE, notApplicable).insured).not.toHaveProperty('sex');
  });

  it('takes no more rows than the table does', () => {
    const many = {
      ...answer,
      householdMembers: Array.from({ length: 25 }, (_, i) => ({
        ...answer.householdMembers[2]!,
        birthDate: `2000-01-${String(i + 1).padStart(2, '0')}`,
      })),
    };
    expect((applyPrefill(NURSERY, many).household as unknown[]).length).toBe(20);
  });

  it('fills nothing from an answer that found no one, or a fact the registry lacks', () => {
    expect(
      applyPrefill(NURSERY, { found: false, person: null, householdMembers: [], asOf: '2025-06-01' }),
    ).toEqual({});
    const noPostalCode = { ...answer, person: { ...answer.person!, postalCode: null } };
    expect(applyPrefill(NURSERY, noPostalCode).guardian).not.toHaveProperty('postalCode');
  });
});
