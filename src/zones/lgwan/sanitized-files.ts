import type { ZoneContext } from '../../core/index.ts';
import { receiveSanitizedFile, storeFilePart } from '../../modules/sanitize/index.ts';
import { sanitizedFilePartV1, sanitizedFileV1, type ZoneGateway } from '../gateway/index.ts';

/**
 * lgwan receives the internet zone's rebuilt uploads (無害化 done there, in worker processes;
 * originals never cross): the parts, then the file, checked and kept in one transaction with
 * the message's inbox record.
 */
export function wireSanitizedFiles(context: ZoneContext, gateway: ZoneGateway): void {
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
