import type { HttpApp, LgCode, ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  createSanitizer,
  markUploadRefused,
  markUploadsSent,
  receiveUpload,
  registerUploadRoutes,
  releaseQuarantine,
  sweepUploadFiles,
  type UnsentUpload,
  unsentUploads,
} from '../../modules/sanitize/index.ts';
import { deliverInBatches, derivedMessageId, sanitizedFileV2, type ZoneGateway } from '../gateway/index.ts';

/** How often rebuilt files still to go inward are retried (a new one goes at once). */
const FORWARD_INTERVAL_MS = 2_000;
/**
 * Files read at a time (each in memory until sent) and the most bytes of them; files a
 * call carries, two calls in flight; and the most pages a round sends.
 */
const PAGE = { files: 8, maxBytes: 32 * 1024 * 1024 };
const CALLS = { size: 4, lanes: 2, maxBytes: 16 * 1024 * 1024 };
const PAGES_PER_ROUND = 40;

/**
 * Sends rebuilt uploads to lgwan, each file whole in one message (its bytes the message's
 * attachment), several to a call, with ids derived from the upload, so that a retry after a
 * crash is the same message and lgwan keeps the file once. A file lgwan refuses (its checks
 * failed) is marked and not sent again; an unreachable lgwan is tried again next round.
 */
export async function forwardUploads(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  const where = (upload: UnsentUpload) => ({
    municipalityCode: context.served.require(upload.municipalityCode).code as LgCode,
    uploadId: upload.uploadId,
  });
  const messageOf = (upload: UnsentUpload) => ({
    id: derivedMessageId(`sanitize-file:v2:${upload.uploadId}`),
    municipalityCode: where(upload).municipalityCode,
    payload: {
      uploadId: upload.uploadId,
      uploadedBy: upload.uploadedBy,
      receivedAt: upload.receivedAt.toISOString(),
      mediaType: upload.mediaType,
      report: upload.report,
    },
    attachment: { data: upload.content, sha256: upload.sha256 },
  });
  let sent = 0;
  // Page after page while pages come full: a backlog goes in one round.
  for (let page = 0; page < PAGES_PER_ROUND; page++) {
    const uploads = await unsentUploads(context.database, context.files, {
      limit: PAGE.files,
      maxBytes: PAGE.maxBytes,
    });
    sent += await deliverInBatches(
      uploads,
      { ...CALLS, bytesOf: (upload) => upload.content.length },
      {
        deliverAll: (batch) => gateway.sendAll('lgwan', sanitizedFileV2, batch.map(messageOf)),
        deliver: (upload) => gateway.send('lgwan', sanitizedFileV2, messageOf(upload)),
        delivered: (batch) => markUploadsSent(context.database, batch.map(where)),
        refused: (upload, refusal) => markUploadRefused(context.database, where(upload), refusal),
      },
    );
    if (uploads.length === 0) break;
  }
  return sent;
}

/** Sanitizes and keeps one file of a resident, as POST /api/v1/uploads does (for the portal's pages). */
export interface UploadReceiver {
  receive(who: { id: string; municipalityCode: LgCode }, bytes: Uint8Array): ReturnType<typeof receiveUpload>;
  readonly maxBytes: number;
}

export function wireUploads(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): UploadReceiver {
  const { sanitize } = context.config;
  const sanitizer = createSanitizer({ workers: sanitize.workers, limits: { maxBytes: sanitize.maxBytes } });
  app.addHook('onClose', () => sanitizer.close());
  // A running zone starts its workers at once and replaces a dead one within a minute: a
  // worker started by an upload kept that upload, and every one behind it, waiting for its
  // start (~0.9 s of CPU). Without background work (tests), a worker starts with the first
  // upload that needs it.
  gateway.every('start sanitizer workers', 60_000, () => sanitizer.startWorkers());
  const forwardSoon = gateway.every('forward rebuilt uploads inward', FORWARD_INTERVAL_MS, () =>
    forwardUploads(context, gateway),
  );
  const uploads = { ...context, sanitizer, retentionDays: sanitize.quarantineDays };
  registerUploadRoutes(app, uploads, {
    uploader: async (request) => {
      const resident = await requireResident(context, request);
      return { id: `resident:${resident.subjectId}`, municipalityCode: resident.municipalityCode };
    },
    maxBytes: sanitize.maxBytes,
    onRebuilt: forwardSoon,
  });
  gateway.every('release quarantined originals', 3_600_000, () =>
    releaseQuarantine(context.database, context.files, context.clock.now()),
  );
  // Files a crash left without their row: every retained day's at start, then the last two's.
  let daysBack = sanitize.quarantineDays + 1;
  gateway.every('sweep upload files no row keeps', 3_600_000, () => {
    const now = context.clock.now().getTime();
    const days = Array.from({ length: daysBack + 1 }, (_, i) => new Date(now - i * 86_400_000));
    daysBack = 1;
    return sweepUploadFiles(context.database, context.files, days);
  });

  return {
    maxBytes: sanitize.maxBytes,
    async receive(who, bytes) {
      const received = await receiveUpload(
        uploads,
        { municipalityCode: who.municipalityCode, uploadedBy: who.id, content: bytes },
        context.clock.now(),
      );
      if (!received.report.refusal) forwardSoon();
      return received;
    },
  };
}
