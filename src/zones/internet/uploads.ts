import type { HttpApp, LgCode, ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  createSanitizer,
  HeldFiles,
  markUploadForwarded,
  receiveUpload,
  registerUploadRoutes,
  releaseQuarantine,
  sweepUploadFiles,
  type UnsentUpload,
  unsentUploads,
} from '../../modules/sanitize/index.ts';
import {
  deliverEach,
  derivedMessageId,
  FILE_PART_BYTES,
  FILE_PARTS_PER_CALL,
  sanitizedFilePartV1,
  sanitizedFileV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/** How often rebuilt files still to go inward are retried (a new one goes at once). */
const FORWARD_INTERVAL_MS = 2_000;
/** Files read at a time (each holds a whole file in memory), and the most pages a round sends. */
const PAGE = 5;
const PAGES_PER_ROUND = 40;

/**
 * Sends rebuilt uploads to lgwan: the parts (in batch calls), then the file's header, each with an id derived
 * from the upload, so a retry after a crash is the same message and lgwan keeps the file once.
 * A file lgwan refuses (its checks failed) is marked and not sent again; an unreachable lgwan
 * is tried again next round.
 */
export async function forwardUploads(
  context: ZoneContext,
  gateway: ZoneGateway,
  held?: HeldFiles,
): Promise<number> {
  let sent = 0;
  // Page after page while pages come full: a backlog goes in one round, not five files a round.
  for (let page = 0; page < PAGES_PER_ROUND; page++) {
    const uploads = await unsentUploads(context.database, context.files, {
      limit: PAGE,
      now: context.clock.now(),
      ...(held ? { held } : {}),
    });
    sent += await forwardPage(context, gateway, uploads);
    if (uploads.length < PAGE) break;
  }
  return sent;
}

function forwardPage(context: ZoneContext, gateway: ZoneGateway, uploads: UnsentUpload[]): Promise<number> {
  const where = (upload: UnsentUpload) => ({
    municipalityCode: context.served.require(upload.municipalityCode).code as LgCode,
    uploadId: upload.uploadId,
  });
  return deliverEach(
    uploads,
    async (upload) => {
      const { municipalityCode } = where(upload);
      const parts = Math.max(1, Math.ceil(upload.content.length / FILE_PART_BYTES));
      const part = (index: number) => ({
        id: derivedMessageId(`sanitize-file:${upload.uploadId}:part:${index}`),
        municipalityCode,
        payload: {
          uploadId: upload.uploadId,
          index,
          data: Buffer.from(
            upload.content.subarray(index * FILE_PART_BYTES, (index + 1) * FILE_PART_BYTES),
          ).toString('base64'),
        },
      });
      // Several parts a call (a 1 MB photo in one), each call's base64 made only when it goes.
      for (let first = 0; first < parts; first += FILE_PARTS_PER_CALL) {
        const indexes = Array.from(
          { length: Math.min(FILE_PARTS_PER_CALL, parts - first) },
          (_, i) => first + i,
        );
        await gateway.sendAll('lgwan', sanitizedFilePartV1, indexes.map(part));
      }
      await gateway.send('lgwan', sanitizedFileV1, {
        id: derivedMessageId(`sanitize-file:${upload.uploadId}`),
        municipalityCode,
        payload: {
          uploadId: upload.uploadId,
          uploadedBy: upload.uploadedBy,
          receivedAt: upload.receivedAt.toISOString(),
          mediaType: upload.mediaType,
          bytes: upload.content.length,
          sha256: upload.sha256,
          parts,
          report: upload.report,
        },
      });
    },
    (upload, refusal) => markUploadForwarded(context.database, where(upload), context.clock.now(), refusal),
  );
}

/** Sanitizes and keeps one file of a resident, as POST /api/v1/uploads does (for the portal's pages). */
export interface UploadReceiver {
  receive(who: { id: string; municipalityCode: LgCode }, bytes: Uint8Array): ReturnType<typeof receiveUpload>;
  readonly maxBytes: number;
}

export function wireUploads(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): UploadReceiver {
  const { sanitize } = context.config;
  // Workers start with the first upload, so a zone that never receives one never starts any.
  const sanitizer = createSanitizer({ workers: sanitize.workers, limits: { maxBytes: sanitize.maxBytes } });
  app.addHook('onClose', () => sanitizer.close());
  const held = new HeldFiles();
  const forwardSoon = gateway.every('forward rebuilt uploads inward', FORWARD_INTERVAL_MS, () =>
    forwardUploads(context, gateway, held),
  );
  const uploads = { ...context, sanitizer, retentionDays: sanitize.quarantineDays, held };
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
    return sweepUploadFiles(context.database, context.files, context.served.codes(), days);
  });

  return {
    maxBytes: sanitize.maxBytes,
    async receive(who, bytes) {
      const received = await receiveUpload(
        uploads,
        { municipalityCode: who.municipalityCode, uploadedBy: who.id, bytes },
        context.clock.now(),
      );
      if (!received.report.refusal) forwardSoon();
      return received;
    },
  };
}
