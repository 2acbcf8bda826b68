import type { Command } from '../command.ts';
import { cardFileOption, openCard } from './card-options.ts';

/** `machi card status`: what is on a card file: certificates, validity, tries left. */
export const cardStatusCommand: Command = {
  name: 'card status',
  summary: "Show a card file's certificates and how many PIN and password tries are left",
  help: '  --card FILE   the card file (required)\n  --json        print as JSON',
  options: { ...cardFileOption, json: { type: 'boolean' } },
  async run({ values, stdout }) {
    const card = openCard(values);
    const report = [];
    for (const kind of ['auth', 'signing'] as const) {
      const status = await card.status(kind);
      report.push({
        kind,
        locked: status.locked,
        remainingTries: status.remainingTries,
        serialNumber: status.certificate?.serialNumber.toLowerCase() ?? null,
        notAfter: status.certificate?.notAfter.toISOString() ?? null,
      });
    }
    if (values.json === true) {
      stdout.write(
        `${JSON.stringify({ cardId: await card.cardId(), issuedCardId: (await card.issuedCardId()) ?? null, keys: report })}\n`,
      );
    } else {
      stdout.write(`card     ${(await card.issuedCardId()) ?? 'not issued'}\n`);
      for (const key of report) {
        stdout.write(
          `${key.kind.padEnd(8)} ${key.serialNumber ?? 'no certificate'}  until ${key.notAfter ?? '-'}  ` +
            `${key.locked ? 'LOCKED' : `${key.remainingTries} tries left`}\n`,
        );
      }
    }
    return 0;
  },
};
