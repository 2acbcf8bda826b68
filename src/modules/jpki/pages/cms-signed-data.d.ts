// Types of cms-signed-data.js, a browser script that Node tests import too.

export interface DetachedSignatureInput {
  /** The exact bytes signed; they travel beside the signature, not inside it. */
  readonly document: Uint8Array;
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** The signer's claim (CMS signingTime), to the second. */
  readonly signingTime: Date;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over the DER of the signed attributes. */
  readonly sign: (signedAttributes: Uint8Array) => Promise<Uint8Array>;
}

/** A detached CMS SignedData (RFC 5652), DER. */
export function buildDetachedSignature(input: DetachedSignatureInput): Promise<Uint8Array>;

/** The DER of a certificate's issuer Name and serialNumber INTEGER; throws on anything else. */
export function issuerAndSerial(certificate: Uint8Array): { issuer: Uint8Array; serialNumber: Uint8Array };
