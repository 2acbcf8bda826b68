export { FileStore, type StagedFile, type StoredFile, TEMPORARY_SUFFIX } from './file-store.ts';
