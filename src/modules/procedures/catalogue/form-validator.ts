import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function is the module's `default`.
const addFormats = formats.default as unknown as (ajv: Ajv2020, names: string[]) => Ajv2020;

/** One thing wrong with a filing, in the words a resident reads. */
export interface FieldError {
  /** JSON Pointer of the item, e.g. /applicant/phone. */
  readonly path: string;
  /** The item's name on the form, e.g. 電話番号. */
  readonly field: string;
  readonly message: { readonly ja: string; readonly en: string };
}

export interface SchemaNode {
  title?: string;
  titleEn?: string;
  /** How the value should look, said to the resident when a pattern fails, e.g. 「半角数字7桁」. */
  patternHint?: string;
  patternHintEn?: string;
  properties?: Record<string, SchemaNode>;
}

/** One ajv for every form: strict (an unknown keyword in a data file is an error), all errors, formats. */
export function createFormAjv(): Ajv2020 {
  // strictRequired off: a conditional `then: { required: [...] }` names properties declared
  // beside the `if`, as forms need ("bank details unless the public-funds account is used").
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true });
  addFormats(ajv, ['date', 'email', 'uri']);
  ajv.addVocabulary(['titleEn', 'patternHint', 'patternHintEn']);
  return ajv;
}

function label(node: SchemaNode | undefined, path: string): { ja: string; en: string } {
  const fallback = path.split('/').pop() || path;
  return { ja: node?.title ?? fallback, en: node?.titleEn ?? node?.title ?? fallback };
}

/**
 * The schema of the object a `required` rule belongs to. A conditional rule (`then`,
 * `allOf/0`, …) names items declared beside it, so the walk goes up to the object itself.
 */
function objectSchemaOf(root: SchemaNode, schemaPath: string): SchemaNode | undefined {
  let segments = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1);
  while (segments.length > 0) {
    const last = segments.at(-1)!;
    const beforeLast = segments.at(-2);
    if (last === 'then' || last === 'else' || last === 'if') segments = segments.slice(0, -1);
    else if (/^\d+$/.test(last) && /^(allOf|anyOf|oneOf)$/.test(beforeLast ?? ''))
      segments = segments.slice(0, -2);
    else break;
  }
  let node: unknown = root;
  for (const segment of segments)
    node = (node as Record<string, unknown> | undefined)?.[
      segment.replaceAll('~1', '/').replaceAll('~0', '~')
    ];
  return node as SchemaNode | undefined;
}

/** The errors worth telling: an `if` failing only says its `then` failed, which is told already. */
export function describeErrors(errors: readonly ErrorObject[], root: SchemaNode): FieldError[] {
  return errors.filter((error) => error.keyword !== 'if').map((error) => describeError(error, root));
}

/** Japanese first, with English: what is wrong with one item, never echoing its value. */
export function describeError(error: ErrorObject, root?: SchemaNode): FieldError {
  const parent = error.parentSchema as SchemaNode | undefined;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const path = `${error.instancePath}/${missing}`;
    const owner = parent?.properties?.[missing]
      ? parent
      : root
        ? objectSchemaOf(root, error.schemaPath)
        : undefined;
    const name = label(owner?.properties?.[missing], path);
    return {
      path,
      field: name.ja,
      message: { ja: `「${name.ja}」を入力してください。`, en: `Enter "${name.en}".` },
    };
  }
  const path = error.instancePath || '/';
  const name = label(parent, path);
  const limit = (error.params as { limit?: number }).limit;
  const say = (ja: string, en: string) => ({
    path,
    field: name.ja,
    message: { ja: `「${name.ja}」${ja}`, en: `"${name.en}" ${en}` },
  });
  switch (error.keyword) {
    case 'maxLength':
      return say(`は${limit}文字以内で入力してください。`, `must be at most ${limit} characters.`);
    case 'minLength':
      return say(`を入力してください。`, `must not be empty.`);
    case 'pattern':
      return parent?.patternHint
        ? say(
            `は${parent.patternHint}で入力してください。`,
            `must be ${parent.patternHintEn ?? parent.patternHint}.`,
          )
        : say('の形式が正しくありません。', 'is not in the right form.');
    case 'format':
      return (error.params as { format: string }).format === 'date'
        ? say('は日付（例：2026-04-01）で入力してください。', 'must be a date such as 2026-04-01.')
        : say('の形式が正しくありません。', 'is not in the right form.');
    case 'const':
      // A box that must be ticked (consent, a declaration) is a const true.
      return (error.params as { allowedValue?: unknown }).allowedValue === true
        ? say('に同意（チェック）してください。', 'must be agreed to (ticked).')
        : say('は選択肢から選んでください。', 'must be one of the choices.');
    case 'enum':
      return say('は選択肢から選んでください。', 'must be one of the choices.');
    case 'minimum':
      return say(`は${limit}以上で入力してください。`, `must be at least ${limit}.`);
    case 'maximum':
      return say(`は${limit}以下で入力してください。`, `must be at most ${limit}.`);
    case 'minItems':
      return say(`は${limit}件以上入力してください。`, `needs at least ${limit} entries.`);
    case 'maxItems':
      return say(`は${limit}件までです。`, `takes at most ${limit} entries.`);
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return {
        path: `${error.instancePath}/${extra}`,
        field: extra,
        message: {
          ja: `「${extra}」はこの様式にない項目です。`,
          en: `"${extra}" is not an item of this form.`,
        },
      };
    }
    default:
      return say('の内容が正しくありません。', 'is not valid.');
  }
}
