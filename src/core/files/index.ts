export { FileStore, type StoredFile, TEMPORARY_SUFFIX } from './file-store.ts';
