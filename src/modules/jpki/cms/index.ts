/**
 * CMS detached signatures (RFC 5652) of documents with the My Number card's signing key:
 * `signDetached` builds one, `verifyDetached` checks it and hands back the signer's
 * certificate for the caller to validate against the JPKI hierarchy.
 */
export { type DocumentSigner, type SignOptions, signDetached } from './sign.ts';
export { type VerifiedSignature, verifyDetached } from './verify.ts';
