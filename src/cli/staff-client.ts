import { readFileSync } from 'node:fs';
import { MachiError } from '../core/index.ts';
import { totpCode } from '../modules/identity/index.ts';
import { UsageError } from './command.ts';
import { callZone } from './http-client.ts';

export interface StaffLogin {
  readonly baseUrl: string;
  readonly municipalityCode: string;
  readonly userName: string;
  readonly password: string;
  readonly totpSecret: string;
}

/**
 * Staff credentials for a CLI that acts at the counter: MACHI_STAFF_PASSWORD and
 * MACHI_STAFF_TOTP_SECRET, or the account's entry in a demo-staff.json file (what
 * `npm start` writes). Never on the command line, where `ps` would show them.
 */
export function staffCredentials(
  options: { user: string; municipality: string; staffFile: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): { password: string; totpSecret: string } {
  if (env.MACHI_STAFF_PASSWORD && env.MACHI_STAFF_TOTP_SECRET) {
    return { password: env.MACHI_STAFF_PASSWORD, totpSecret: env.MACHI_STAFF_TOTP_SECRET };
  }
  if (!options.staffFile) {
    throw new UsageError('Give --staff-file, or set MACHI_STAFF_PASSWORD and MACHI_STAFF_TOTP_SECRET.');
  }
  let accounts: { municipalityCode: string; userName: string; password: string; totpSecret: string }[];
  try {
    accounts = JSON.parse(readFileSync(options.staffFile, 'utf8')).accounts;
  } catch {
    throw new UsageError(`${options.staffFile} is not a staff file (demo-staff.json).`);
  }
  const entry = accounts?.find(
    (a) => a.userName === options.user && a.municipalityCode === options.municipality,
  );
  if (!entry)
    throw new UsageError(`${options.staffFile} has no account ${options.user} of ${options.municipality}.`);
  return entry;
}

/**
 * Signs a staff member in and returns the session's headers. A one-time code works
 * once: when the account already used this 30-second step (a command run just before),
 * it waits for the next step and tries once more.
 */
export async function staffSession(login: StaffLogin): Promise<Record<string, string>> {
  const attempt = async (at: Date) => {
    const { body, headers } = await callZone<{ csrfToken: string }>(`${login.baseUrl}/staff/sign-in`, {
      method: 'POST',
      body: {
        municipalityCode: login.municipalityCode,
        userName: login.userName,
        password: login.password,
        code: totpCode(login.totpSecret, at),
      },
    });
    const cookie = headers
      .getSetCookie()
      .map((line) => line.split(';')[0]!)
      .find((pair) => pair.startsWith('machi_staff='));
    if (!cookie) throw new MachiError('authentication-required', 'The zone set no session cookie.');
    return { cookie, 'x-csrf-token': body.csrfToken };
  };
  try {
    return await attempt(new Date());
  } catch (error) {
    if ((error as MachiError).code !== 'credentials-invalid') throw error;
    const nextStep = (Math.floor(Date.now() / 30_000) + 1) * 30_000;
    await new Promise((resolve) => setTimeout(resolve, nextStep - Date.now() + 200));
    return attempt(new Date());
  }
}
