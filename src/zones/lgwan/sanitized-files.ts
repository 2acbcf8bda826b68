import type { ZoneContext } from '../../core/index.ts';
import {
  keepWholeFiles,
  type PartFiles,
  receiveSanitizedFile,
  storeFilePart,
  unsettledPartsOf,
} from '../../modules/sanitize/index.ts';
import { sanitizedFilePartV1, sanitizedFileV1, sanitizedFileV2, type ZoneGateway } from '../gateway/index.ts';

/** How often part files whose rows never came are looked for (see UnsettledParts). */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * lgwan receives the internet zone's rebuilt uploads (無害化 done there, in worker processes;
 * originals never cross): each file whole as a message's attachment (v2), or, as an internet
 * zone of before sends them, its parts and then the file (v1); checked and kept in one
 * transaction with the messages' inbox records.
 */
export function wireSanitizedFiles(context: ZoneContext, gateway: ZoneGateway): void {
  const unsettled = unsettledPartsOf(context.files);
  const partFiles = (afterCommit: PartFiles['afterCommit']): PartFiles => ({
    files: context.files,
    unsettled,
    afterCommit,
  });
  gateway.handleAll(sanitizedFileV2, async (messages, trx, afterCommit) => {
    const received = messages.map(({ municipalityCode, payload, attachment, attached }) => ({
      municipalityCode: municipalityCode!,
      header: { ...payload, bytes: attachment!.bytes, sha256: attachment!.sha256 },
      content: attached!,
    }));
    await keepWholeFiles(trx, partFiles(afterCommit), received, context.clock.now());
    return messages.map((message) => ({ kept: message.payload.uploadId }));
  });
  gateway.handle(sanitizedFilePartV1, async (message, trx, afterCommit) => {
    const { uploadId, index, data } = message.payload;
    await storeFilePart(trx, partFiles(afterCommit), message.municipalityCode!, {
      uploadId,
      index,
      data: new Uint8Array(Buffer.from(data, 'base64')),
    });
    return null;
  });
  gateway.handle(sanitizedFileV1, async (message, trx) => {
    await receiveSanitizedFile(
      trx,
      context.files,
      message.municipalityCode!,
      message.payload,
      context.clock.now(),
    );
    return { kept: message.payload.uploadId };
  });
  gateway.every('sweep part files no row names', SWEEP_EVERY_MS, () =>
    unsettled.sweep(context.database, context.files),
  );
}
