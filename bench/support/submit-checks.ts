// What the submit benchmark checks in the zones' databases: how many filings (and rebuilt
// uploads) still wait to go inward, during and after a run, and afterwards that every filing
// answered 201 is stored once, audited once, and reached lgwan as exactly one case.
import pg from 'pg';

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const WAITING = `
  select (select count(*)::int from procedure_submissions_unsent) as filings,
         (select count(*)::int from sanitize_uploads_unsent) as uploads`;

interface Waiting {
  filings: number;
  uploads: number;
}

/** Samples, once a second, what waits in the internet zone to go inward (stop() gives the figures). */
export function watchBacklog(internetUrl: string) {
  const client = new pg.Client({ connectionString: internetUrl });
  // If the run fails before stop(), the clean-up drops the database under this connection:
  // that must not crash the benchmark and hide the failure that stopped it.
  client.on('error', () => {});
  const connected = client.connect();
  const samples: Waiting[] = [];
  let last: Promise<unknown> = connected;
  const timer = setInterval(() => {
    last = last.then(async () => samples.push((await client.query<Waiting>(WAITING)).rows[0]!));
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await last.catch(() => {});
      await client.end();
      return {
        maxFilings: Math.max(0, ...samples.map((s) => s.filings)),
        maxUploads: Math.max(0, ...samples.map((s) => s.uploads)),
        atEnd: samples.at(-1) ?? { filings: 0, uploads: 0 },
      };
    },
  };
}

/** Waits until nothing waits to go inward (or `timeoutS` passed): how long it took, what was left. */
export async function waitForwarded(internetUrl: string, timeoutS = 1800) {
  return withClient(internetUrl, async (client) => {
    const start = performance.now();
    for (;;) {
      const left = (await client.query<Waiting>(WAITING)).rows[0]!;
      const seconds = +((performance.now() - start) / 1000).toFixed(1);
      if ((left.filings === 0 && left.uploads === 0) || seconds >= timeoutS) return { seconds, left };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}

/**
 * Every filing of `procedureId` the load generator got a receipt for (`receipts`:
 * [idempotencyKey, submissionId]) against both zones: stored once under its key, with its
 * audit entry, sent inward without a refusal, and one case in lgwan; with `uploads`, also the
 * rebuilt files, each kept once in lgwan.
 */
export async function checkStored(
  urls: { internet: string; lgwan: string },
  procedureId: string,
  receipts: readonly [string, string][],
  uploads: boolean,
) {
  const internet = await withClient(urls.internet, async (client) => {
    const rows = (
      await client.query<{ key: string; id: string; sent: boolean; refused: boolean; digest: string }>(
        `select idempotency_key::text as key, submission_id::text as id, forward_error is not null as refused,
                document_sha256 as digest, forward_error is null and not exists (
                  select from procedure_submissions_unsent u
                  where u.municipality_code = s.municipality_code and u.submission_id = s.submission_id) as sent
           from procedure_submissions s where procedure_id = $1`,
        [procedureId],
      )
    ).rows;
    const audited = (
      await client.query<{ n: number }>(
        `select count(*)::int as n from audit_log
          where action = 'procedures.submit' and outcome = 'success' and details->>'procedure' = $1`,
        [procedureId],
      )
    ).rows[0]!.n;
    const files = uploads
      ? (
          await client.query<{ rebuilt: number; sent: number }>(
            // Sent: rebuilt, no longer waiting, and not refused inward.
            `select count(*) filter (where outcome = 'rebuilt')::int as rebuilt,
                    count(*) filter (where outcome = 'rebuilt' and forward_error is null and not exists (
                      select from sanitize_uploads_unsent u
                      where u.municipality_code = s.municipality_code and u.upload_id = s.upload_id))::int as sent
              from sanitize_uploads s`,
          )
        ).rows[0]
      : undefined;
    return { rows, audited, files };
  });
  const lgwan = await withClient(urls.lgwan, async (client) => {
    const cases = (
      await client.query<{ id: string }>(
        'select submission_id::text as id from procedure_cases where procedure_id = $1',
        [procedureId],
      )
    ).rows.map((row) => row.id);
    const files = uploads
      ? (await client.query<{ n: number }>('select count(*)::int as n from sanitize_received_files')).rows[0]!
          .n
      : undefined;
    return { cases, files };
  });
  const stored = new Map(internet.rows.map((row) => [row.key, row]));
  const cases = new Set(lgwan.cases);
  const n = internet.rows.length;
  const result = {
    answered201: receipts.length,
    stored: n,
    /** Answered 201 but not stored under that key with that id: must be 0. */
    answeredButMissing: receipts.filter(([key, id]) => stored.get(key)?.id !== id).length,
    /** Stored, but the client had given up waiting (timeout): overload, not a duplicate. */
    storedWithoutReceipt: n - receipts.length,
    distinctDocuments: new Set(internet.rows.map((row) => row.digest)).size,
    audited: internet.audited,
    sentInward: internet.rows.filter((row) => row.sent).length,
    refusedInward: internet.rows.filter((row) => row.refused).length,
    casesInLgwan: lgwan.cases.length,
    storedWithoutCase: internet.rows.filter((row) => !cases.has(row.id)).length,
    ...(uploads ? { uploadsRebuilt: internet.files?.rebuilt, uploadsSent: internet.files?.sent } : {}),
    ...(uploads ? { filesInLgwan: lgwan.files } : {}),
  };
  // Once each: every receipt stored, no document stored twice, one audit entry and one case
  // in lgwan for each stored filing (and each rebuilt upload kept once there).
  const ok =
    result.answeredButMissing === 0 &&
    result.distinctDocuments === n &&
    result.audited === n &&
    result.sentInward === n &&
    result.casesInLgwan === n &&
    result.storedWithoutCase === 0 &&
    (!uploads ||
      (result.uploadsSent === result.uploadsRebuilt && result.filesInLgwan === result.uploadsSent));
  return { ...result, exactlyOnce: ok };
}
