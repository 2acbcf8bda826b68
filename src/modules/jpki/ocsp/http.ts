import { MachiError } from '../../../core/index.ts';
import { MAX_REQUEST_BYTES } from './request.ts';

/** Media types of RFC 6960 Appendix C. */
export const OCSP_REQUEST_CONTENT_TYPE = 'application/ocsp-request';
export const OCSP_RESPONSE_CONTENT_TYPE = 'application/ocsp-response';

/**
 * The request bytes of an OCSP GET (RFC 6960 Appendix A.1): the path segment after the
 * responder URL is the URL-encoding of the base64 of the DER request. The segment may
 * hold '/', so a route must hand over the whole remaining path. base64url is accepted
 * too, and a space is read as '+' because some proxies form-decode paths.
 */
export function decodeGetPath(segment: string): Uint8Array<ArrayBuffer> {
  let text: string;
  try {
    text = decodeURIComponent(segment).replaceAll(' ', '+');
  } catch {
    throw new MachiError('encoding-invalid', 'The OCSP GET path is not valid URL encoding.');
  }
  text = text.replace(/^\/+/, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.length > Math.ceil(MAX_REQUEST_BYTES / 3) * 4) {
    throw new MachiError('encoding-invalid', 'The OCSP GET path is not a base64 request.');
  }
  return new Uint8Array(Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64'));
}
