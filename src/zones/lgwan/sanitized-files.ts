import type { ZoneContext } from '../../core/index.ts';
import { keepWholeFiles, receiveSanitizedFile, storeFilePart } from '../../modules/sanitize/index.ts';
import { sanitizedFilePartV1, sanitizedFileV1, sanitizedFileV2, type ZoneGateway } from '../gateway/index.ts';

/**
 * lgwan receives the internet zone's rebuilt uploads (無害化 done there, in worker processes;
 * originals never cross): each file whole as a message's attachment (v2), or, as an internet
 * zone of before sends them, its parts and then the file (v1); checked and kept in one
 * transaction with the messages' inbox records.
 */
export function wireSanitizedFiles(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handleAll(sanitizedFileV2, async (messages, trx) => {
    const received = messages.map(({ municipalityCode, payload, attachment, attached }) => ({
      municipalityCode: municipalityCode!,
      header: { ...payload, bytes: attachment!.bytes, sha256: attachment!.sha256 },
      content: attached!,
    }));
    await keepWholeFiles(trx, context.files, received, context.clock.now());
    return messages.map((message) => ({ kept: message.payload.uploadId }));
  });
  gateway.handle(sanitizedFilePartV1, async (message, trx) => {
    const { uploadId, index, data } = message.payload;
    await storeFilePart(trx, context.files, message.municipalityCode!, {
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
}
