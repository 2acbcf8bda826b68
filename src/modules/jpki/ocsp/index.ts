export { type CertIdHashAlgorithm, type CertIdKey, certIdFor } from './cert-id.ts';
export {
  type FetchOcspOptions,
  fetchOcspStatus,
  type OcspResponseCheck,
  type OcspResult,
  parseOcspResponse,
} from './client.ts';
export { decodeGetPath, OCSP_REQUEST_CONTENT_TYPE, OCSP_RESPONSE_CONTENT_TYPE } from './http.ts';
export {
  createOcspRequest,
  MAX_CERTIFICATES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  type OcspRequestOptions,
  type ParsedOcspRequest,
  parseOcspRequest,
} from './request.ts';
export {
  createOcspResponder,
  errorResponse,
  type OcspIssuer,
  type OcspResponder,
  type OcspResponderOptions,
  type StatusQuery,
} from './responder.ts';
export { type CertificateStatus, type OcspResponseStatus, ocspResponseStatus } from './status.ts';
