// The sanitize module's door (無害化: content disarm and reconstruction).
export { decodeText } from './detect/decode-text.ts';
export { ALLOWED_TYPES, detectType } from './detect/detect-type.ts';
export { keepWholeFiles, type WholeFile } from './received/keep-file.ts';
export { receivedFileMigrations } from './received/migrations.ts';
export { type ReceivedFile, receivedFileContent, receivedFiles } from './received/read-received.ts';
export {
  type FileHeader,
  type FilePart,
  type PartFiles,
  receiveSanitizedFile,
  storeFilePart,
} from './received/receive-file.ts';
export { type PartRef, SETTLE_MS, UnsettledParts, unsettledPartsOf } from './received/unsettled-parts.ts';
export type { Sanitized, SanitizeReport } from './report.ts';
export { createSanitizer, type Sanitizer, type SanitizerOptions } from './sanitizer.ts';
export {
  DEFAULT_LIMITS,
  type DetectedType,
  isRefusal,
  type PdfMode,
  Refusal,
  type RefusalReason,
  type Removed,
  type SanitizeLimits,
} from './types.ts';
export {
  markUploadRefused,
  markUploadsSent,
  type UnsentUpload,
  unsentUploads,
} from './uploads/forward-uploads.ts';
export { uploadMigrations } from './uploads/migrations.ts';
export {
  rebuiltUpload,
  receiveUpload,
  releaseQuarantine,
  type UploadContext,
} from './uploads/receive-upload.ts';
export { sweepUploadFiles, uploadFileKey } from './uploads/upload-files.ts';
export { registerUploadRoutes, type Uploader } from './uploads/upload-routes.ts';
