import { isCardEndReason } from '../../modules/jpki/index.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { callZone } from '../http-client.ts';
import { cardFileOption, counterHelp, counterOptions, counterSession, openCard } from './card-options.ts';

/** `machi card revoke`: ends a card (lost, requested …) at the counter. */
export const cardRevokeCommand: Command = {
  name: 'card revoke',
  summary: 'Revoke a card at the counter (lost, reissued, requested, moved-out, deceased)',
  help: [
    '  --card-id ID          the card, as `machi card issue` printed it',
    '  --card FILE           or the card file itself (one of the two is required)',
    '  --reason R            lost | requested | reissued | moved-out | deceased (default requested)',
    counterHelp,
    'Sign-in with the card is refused within a minute (the status reaches the OCSP responder).',
  ].join('\n'),
  options: {
    ...counterOptions,
    ...cardFileOption,
    'card-id': { type: 'string' },
    reason: { type: 'string' },
  },
  async run({ values, stdout }) {
    const cardId =
      stringOption(values, 'card-id') ?? (values.card ? await openCard(values).issuedCardId() : undefined);
    if (!cardId) throw new UsageError('Give --card-id, or --card with an issued card file.');
    const reason = stringOption(values, 'reason') ?? 'requested';
    if (!isCardEndReason(reason) || reason === 'renewed') {
      throw new UsageError('--reason must be lost, requested, reissued, moved-out or deceased.');
    }
    const counter = await counterSession(values);
    const { body } = await callZone<{ revoked: boolean }>(
      `${counter.baseUrl}/api/v1/municipalities/${counter.municipalityCode}/cards/${encodeURIComponent(cardId)}/revoke`,
      { method: 'POST', headers: counter.headers, body: { reason } },
    );
    stdout.write(
      body.revoked ? `card ${cardId} revoked (${reason})\n` : `card ${cardId} was already revoked\n`,
    );
    return 0;
  },
};
