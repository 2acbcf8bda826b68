import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../catalogue/load-catalogue.ts';
import type { FormNode } from './form-schema.ts';
import { collectStep, inSchemaOrder, withoutRow, withStep } from './form-values.ts';

const schema = loadCatalogue().get('child-allowance-certification')!.definition.schema as FormNode;

describe('collectStep', () => {
  it('types what was posted as the schema says, and leaves empty items out', () => {
    const { values, problems } = collectStep(schema, ['claimant', 'pension', 'spouse'], {
      '/claimant/name': ' 山田　太郎 ',
      '/claimant/birthDate': '１９９０/4/1',
      '/claimant/postalCode': '１００－０００１',
      '/claimant/employer': '',
      '/pension': 'none',
      // The spouse's box unticked and nothing else: the optional group is left out.
    });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      claimant: { name: '山田　太郎', birthDate: '1990-04-01', postalCode: '100-0001' },
      pension: 'none',
    });
  });

  it('keeps a number it cannot read as typed, with a message', () => {
    const node: FormNode = {
      type: 'object',
      properties: { copies: { type: 'integer', title: '必要な通数', titleEn: 'Copies' } },
    };
    const { values, problems } = collectStep(node, ['copies'], { '/copies': '2通' });
    expect(values).toEqual({ copies: '2通' });
    expect(problems).toEqual([
      {
        path: '/copies',
        field: '必要な通数',
        message: { ja: '「必要な通数」は半角数字で入力してください。', en: '"Copies" must be a number.' },
      },
    ]);
    expect(collectStep(node, ['copies'], { '/copies': '１２' }).values).toEqual({ copies: 12 });
  });

  it('reads rows by the count the page showed, dropping empty ones; a removed row moves the rest up', () => {
    const body = {
      'rows:/children': '3',
      '/children/0/name': '一郎',
      '/children/1/name': '二郎',
      '/children/2/name': '三郎',
      '/children/2/livesTogether': 'true',
    };
    const removed = withoutRow(body, '/children', 1);
    expect(removed).toMatchObject({ 'rows:/children': '2', '/children/1/name': '三郎' });
    expect(collectStep(schema, ['children'], removed).values).toEqual({
      children: [
        { name: '一郎', livesTogether: false },
        { name: '三郎', livesTogether: true },
      ],
    });
    // A required array left empty stays, so its own check says how many are needed.
    expect(collectStep(schema, ['children'], { 'rows:/children': '1' }).values).toEqual({ children: [] });
  });
});

describe('withStep and inSchemaOrder', () => {
  it('replaces a step’s items and orders data as the official form does', () => {
    const data = withStep({ pension: 'none', spouse: { name: 'x' } }, ['spouse'], {});
    expect(data).toEqual({ pension: 'none' });
    const ordered = inSchemaOrder(schema, {
      account: {},
      claimant: { phone: '1', name: 'a' },
      pension: 'none',
    });
    expect(JSON.stringify(ordered)).toBe(
      '{"claimant":{"name":"a","phone":"1"},"pension":"none","account":{}}',
    );
  });
});
