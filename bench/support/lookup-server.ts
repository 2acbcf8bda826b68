// Child process of the resident-lookup benchmark: serves either the real mynumber
// zone (on the database in MACHI_MYNUMBER_DATABASE_URL) with a signed-in clerk, or
// a bare Fastify endpoint of the same shape, and prints one JSON line with its port.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { loadConfig, parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  createStaffAccount,
  type IdentityDb,
  SESSION_COOKIE,
  totpCode,
} from '../../src/modules/identity/index.ts';
import { mynumberZone, openZone } from '../../src/zones/index.ts';
import { exitWithParent } from './exit-with-parent.ts';
import { watchGcPauses } from './gc-pauses.ts';

exitWithParent();

// What the server itself saw: event-loop delay and garbage-collection pauses, from the last
// SIGUSR2 (sent when the measured run starts) to SIGTERM, printed as one JSON line on exit.
// Exiting cleanly also lets `node --cpu-prof` write its profile. Installed before the server
// listens, so that no signal can come before its handler.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const gc = watchGcPauses();
process.on('SIGUSR2', () => {
  loopDelay.reset();
  gc.reset();
});
process.once('SIGTERM', () => {
  const ms = (ns: number) => +(ns / 1e6).toFixed(2);
  console.log(
    JSON.stringify({
      stats: {
        eventLoopDelayMs: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
        gc: gc.read(),
      },
    }),
  );
  process.exit(0);
});

const mode = process.argv[2];
if (mode === 'bare') {
  const app = Fastify();
  app.get('/api/v1/municipalities/:lgCode/residents/:residentCode', async (request) => {
    const { residentCode } = request.params as { residentCode: string };
    return { residentCode, familyName: '山田', givenName: '太郎', address: '千代田一丁目1番1号' };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
} else {
  const config = loadConfig();
  const municipalityCode = config.municipalities[0]!;
  const zone = await openZone(mynumberZone, config);
  const created = await createStaffAccount(
    zone.context.database.db as IdentityDb,
    tenantScope(parseLgCode(municipalityCode)),
    {
      userName: `bench-${Date.now()}`,
      displayName: 'ベンチ 職員',
      roles: ['registry-clerk'],
      now: new Date(),
    },
  );
  const response = await zone.app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    payload: {
      municipalityCode,
      userName: created.staff.userName,
      password: created.initialPassword,
      code: totpCode(created.totpSecret, new Date()),
    },
  });
  const session = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!session) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  await zone.app.listen({ host: '127.0.0.1', port: 0 });
  const address = zone.app.server.address();
  console.log(
    JSON.stringify({
      port: typeof address === 'object' && address ? address.port : 0,
      cookie: `${SESSION_COOKIE}=${session.value}`,
      municipalityCode,
    }),
  );
}
