import { describe, expect, it } from 'vitest';
import { loadCatalogue } from './load-catalogue.ts';

const catalogue = loadCatalogue();

describe('the procedure catalogue', () => {
  it('loads every data file, each a coherent procedure with a strict form schema', () => {
    expect(catalogue.size).toBeGreaterThan(0);
  });

  describe.each([...catalogue.values()].map((p) => [p.definition.id, p] as const))('%s', (_, procedure) => {
    it('accepts its example of a valid filing', () => {
      expect(procedure.validate(procedure.definition.examples.valid)).toEqual([]);
    });

    it.each(procedure.definition.examples.invalid.map((example, i) => [i, example] as const))(
      'refuses invalid filing %i, naming each item at fault in Japanese and English',
      (_, example) => {
        const errors = procedure.validate(example.data);
        const paths = errors.map((error) => error.path);
        for (const field of example.fields) expect(paths, JSON.stringify(errors)).toContain(field);
        for (const error of errors) {
          expect(error.message.ja).toContain(`「${error.field}」`);
          expect(error.message.en.length).toBeGreaterThan(0);
        }
      },
    );
  });

  it('names an item a conditional rule asks for by its title on the form', () => {
    const procedure = catalogue.get('child-allowance-certification')!;
    const errors = procedure.validate({
      ...procedure.definition.examples.valid,
      account: { usePublicFundsAccount: false },
    });
    expect(errors.map((e) => e.message.ja)).toEqual(
      expect.arrayContaining(['「口座番号」を入力してください。', '「金融機関名」を入力してください。']),
    );
    expect(errors.every((e) => e.path.startsWith('/account/'))).toBe(true);
  });

  it('says what is wrong without repeating the value', () => {
    const procedure = catalogue.get('child-allowance-certification')!;
    const errors = procedure.validate({ ...procedure.definition.examples.valid, claimant: { name: 'X' } });
    expect(errors.map((e) => e.message.ja)).toContain('「電話番号」を入力してください。');
    expect(JSON.stringify(errors)).not.toContain('山田');
  });
});
