// Notices by e-mail (SMTP): a resident registers an address, confirms it by the mailed link,
// and is told by mail when a notice arrives — that one arrived, never what it says. A real
// SMTP server (smtp-server) receives the mails.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asResident, asStaff, signedFiling } from './support.ts';

interface Received {
  readonly to: string[];
  readonly raw: string;
}
const received: Received[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      received.push({
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('latin1'),
      });
      callback();
    });
  },
});
let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
let clerk: SignedInStaff;

/** The text of a quoted-printable UTF-8 body. */
function bodyOf(mail: Received): string {
  const body = mail.raw.split('\r\n\r\n').slice(1).join('\r\n\r\n');
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

async function waitForMail(count: number): Promise<Received> {
  for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  expect(received.length).toBe(count);
  return received[count - 1]!;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  zones = await openZonesWithPki({
    MACHI_SMTP_URL: `smtp://127.0.0.1:${port}`,
    MACHI_MAIL_FROM: '千代田区 <no-reply@city.example.jp>',
  });
  resident = await signedInResident(zones, 831);
  clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const portal = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  asResident(zones, resident)(method, url, payload);

describe('notices by e-mail', () => {
  it('confirms the address by a mailed link, then mails that a notice arrived', async () => {
    const set = await portal('PUT', '/api/v1/me/mail-address', { address: 'hanako@example.jp' });
    expect(set.statusCode, set.body).toBe(202);
    const confirmation = await waitForMail(1);
    expect(confirmation.to).toEqual(['hanako@example.jp']);
    const token = /mail\/confirm\?token=([\w-]{43})/.exec(bodyOf(confirmation))?.[1];
    expect(token).toBeDefined();
    expect((await portal('GET', '/api/v1/me/mail-address')).json()).toEqual({
      address: 'hanako@example.jp',
      confirmed: false,
    });
    const confirmed = await zones.internet.app.inject({ method: 'GET', url: `/mail/confirm?token=${token}` });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('メールアドレスを登録しました');
    const again = await zones.internet.app.inject({ method: 'GET', url: `/mail/confirm?token=${token}` });
    expect(again.statusCode).toBe(404);
    expect((await portal('GET', '/api/v1/me/mail-address')).json().confirmed).toBe(true);

    // A filing, decided in the back office: the portal hears of it and mails the resident.
    const procedure = 'child-allowance-certification';
    const uploaded = await upload(zones, resident, patternJpeg(120, 90));
    const filed = await portal(
      'POST',
      `/api/v1/procedures/${procedure}/submissions`,
      await signedFiling(resident, {
        procedureId: procedure,
        data: loadCatalogue().get(procedure)!.definition.examples.valid,
        attachments: [
          {
            id: 'bank-account-proof',
            uploadId: uploaded.json().uploadId,
            sha256: uploaded.json().report.output.sha256,
          },
        ],
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    const reasons = '所得が限度額を超えているため（秘密の理由）。';
    const decided = await asStaff(zones.lgwan, clerk)(
      'POST',
      `/api/v1/municipalities/131016/cases/${filed.json().receiptNumber}/decision`,
      { outcome: 'rejected', reasons },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    await zones.internet.gateway.pull('lgwan', 100);
    const notice = await waitForMail(2);
    expect(notice.to).toEqual(['hanako@example.jp']);
    const text = bodyOf(notice);
    expect(text).toContain(filed.json().receiptNumber);
    expect(text).not.toContain('秘密の理由');
    expect(notice.raw).toContain(`Message-ID: <`);
    // Pulled again (a redelivery): no second mail.
    await zones.internet.gateway.pull('lgwan', 100);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(2);
  });

  it('refuses addresses it cannot send to', async () => {
    for (const address of ['no-at-sign', 'a@b', 'two@@example.jp', 'space @example.jp']) {
      const response = await portal('PUT', '/api/v1/me/mail-address', { address });
      expect(response.statusCode, address).toBe(400);
    }
    const stranger = await zones.internet.app.inject({ method: 'GET', url: '/api/v1/me/mail-address' });
    expect(stranger.statusCode).toBe(401);
  });
});
