import { loadConfig, MachiError } from '../../core/index.ts';
import { signInMessage } from '../../modules/jpki/index.ts';
import { cardSecret } from '../card-secret.ts';
import { type Command, stringOption } from '../command.ts';
import { callZone } from '../http-client.ts';
import { cardFileOption, openCard } from './card-options.ts';

/** `machi card login`: signs in to the resident portal with the card's auth certificate. */
export const cardLoginCommand: Command = {
  name: 'card login',
  summary: 'Sign in to the resident portal with a card file (auth certificate and PIN)',
  help: [
    '  --card FILE   the card file (required)',
    '  --url URL     the portal (default MACHI_INTERNET_URL)',
    '  --json        print the session as JSON',
    'The PIN is MACHI_CARD_PIN, or asked on the terminal. 3 wrong PINs in a row lock the card.',
  ].join('\n'),
  options: { ...cardFileOption, url: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, stdout }) {
    const card = openCard(values);
    const base = (stringOption(values, 'url') ?? loadConfig().zones.internet.url).replace(/\/$/, '');
    await card.certificate('auth');
    const pin = await cardSecret('auth');
    const { body: challenge } = await callZone<{ challenge: string; origin: string }>(
      `${base}/api/v1/jpki/challenges`,
      { method: 'POST' },
    );
    // The card signs only for the site it is talking to: a challenge relayed from
    // another origin (phishing) is refused here, before the PIN unlocks anything.
    if (challenge.origin !== new URL(base).origin) {
      throw new MachiError(
        'challenge-invalid',
        `The challenge is for ${challenge.origin}, not ${new URL(base).origin}.`,
      );
    }
    const signature = await card.sign('auth', pin, signInMessage(challenge.challenge));
    const certificate = Buffer.from((await card.certificate('auth')).rawData).toString('base64');
    const { body } = await callZone<{
      municipalityCode: string;
      sessionExpiresAt: string;
      card: { serialNumber: string };
    }>(`${base}/api/v1/jpki/sign-in`, {
      method: 'POST',
      headers: { origin: new URL(base).origin },
      body: {
        challenge: challenge.challenge,
        certificate,
        signature: Buffer.from(signature).toString('base64'),
      },
    });
    if (values.json === true) stdout.write(`${JSON.stringify(body)}\n`);
    else
      stdout.write(
        `signed in to ${base} (municipality ${body.municipalityCode}) until ${body.sessionExpiresAt}\n`,
      );
    return 0;
  },
};
