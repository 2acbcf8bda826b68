import { readFile, writeFile } from 'node:fs/promises';
import { signDetached } from '../../modules/jpki/index.ts';
import { cardSecret } from '../card-secret.ts';
import { type Command, requireOption } from '../command.ts';
import { cardFileOption, openCard } from './card-options.ts';

/** `machi card sign`: a CMS detached signature of a file with the card's signing key. */
export const cardSignCommand: Command = {
  name: 'card sign',
  summary: "Sign a file with the card's signing certificate (CMS detached signature, .p7s)",
  help: [
    '  --card FILE   the card file (required)',
    '  --in FILE     the document to sign (required)',
    '  --out FILE    the signature, DER (required; e.g. document.pdf.p7s)',
    'The signing password is MACHI_CARD_PASSWORD, or asked on the terminal; 5 wrong ones lock it.',
  ].join('\n'),
  options: { ...cardFileOption, in: { type: 'string' }, out: { type: 'string' } },
  async run({ values, stdout }) {
    const card = openCard(values);
    const document = await readFile(requireOption(values, 'in'));
    const out = requireOption(values, 'out');
    const certificate = await card.certificate('signing');
    const password = await cardSecret('signing');
    const signature = await signDetached(
      document,
      { certificate, sign: (data) => card.sign('signing', password, data) },
      { signingTime: new Date() },
    );
    await writeFile(out, signature);
    stdout.write(`signed ${document.length} bytes: ${out}\n`);
    return 0;
  },
};
