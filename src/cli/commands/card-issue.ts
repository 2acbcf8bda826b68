import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import {
  type CertificateKind,
  fileCardStorage,
  manufactureCard,
  VirtualCard,
} from '../../modules/jpki/index.ts';
import { cardSecret } from '../card-secret.ts';
import { type Command, requireOption, UsageError } from '../command.ts';
import { callZone } from '../http-client.ts';
import { counterHelp, counterOptions, counterSession } from './card-options.ts';

/** `machi card issue`: a new virtual card for a resident, issued at the counter over the API. */
export const cardIssueCommand: Command = {
  name: 'card issue',
  summary: 'Issue a virtual My Number card to a resident at the counter (writes a card file)',
  help: [
    '  --resident CODE       住民票コード of the resident (required)',
    '  --out FILE            the card file to write (required; never overwritten)',
    counterHelp,
    'The PIN (MACHI_CARD_PIN, 4 digits) and signing password (MACHI_CARD_PASSWORD, 6–16 A–Z 0–9)',
    'are asked on the terminal when not set. The card makes its own keys; only requests leave it.',
  ].join('\n'),
  options: { ...counterOptions, resident: { type: 'string' }, out: { type: 'string' } },
  async run({ values, stdout }) {
    const residentCode = requireOption(values, 'resident');
    const out = requireOption(values, 'out');
    if (existsSync(out)) throw new UsageError(`${out} exists; a card file is never overwritten.`);
    const pin = await cardSecret('auth');
    const password = await cardSecret('signing');
    const counter = await counterSession(values);
    const made = await manufactureCard({ pin, password }, { now: new Date() });
    const { body } = await callZone<{
      cardId: string;
      notAfter: string;
      certificates: Record<CertificateKind, string>;
    }>(`${counter.baseUrl}/api/v1/municipalities/${counter.municipalityCode}/cards`, {
      method: 'POST',
      headers: counter.headers,
      body: {
        residentCode,
        requests: {
          auth: Buffer.from(made.requests.auth).toString('base64'),
          signing: Buffer.from(made.requests.signing).toString('base64'),
        },
      },
    });
    await writeFile(out, `${JSON.stringify(made.content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    const card = new VirtualCard(fileCardStorage(out));
    await card.install('auth', body.certificates.auth);
    await card.install('signing', body.certificates.signing);
    await card.recordIssue(body.cardId);
    stdout.write(`card ${body.cardId} issued, valid until ${body.notAfter}: ${out}\n`);
    return 0;
  },
};
