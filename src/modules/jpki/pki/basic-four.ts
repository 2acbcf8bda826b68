import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, OtherName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { fromBER, Utf8String } from 'asn1js';
import { MachiError } from '../../../core/index.ts';
import { jpkiOids, pkixOids } from '../oids.ts';
import { x509 } from './crypto.ts';

/**
 * 基本4情報 as the signing certificate carries them: in subjectAltName, one otherName
 * per item under JPKI's OIDs, each value a UTF8String. The substitute-character
 * positions are empty when the registered name and address print as they are.
 */
export interface BasicFour {
  readonly name: string;
  readonly nameSubstitute: string;
  /** ISO/IEC 5218: '1', '2' or '9'. */
  readonly sex: '1' | '2' | '9';
  /** YYYY-MM-DD (stored in the certificate as YYYYMMDD). */
  readonly dateOfBirth: string;
  readonly address: string;
  readonly addressSubstitute: string;
}

const fields = [
  ['name', jpkiOids.name],
  ['nameSubstitute', jpkiOids.nameSubstitute],
  ['sex', jpkiOids.sex],
  ['dateOfBirth', jpkiOids.dateOfBirth],
  ['address', jpkiOids.address],
  ['addressSubstitute', jpkiOids.addressSubstitute],
] as const;

function stored(key: keyof BasicFour, value: string): string {
  return key === 'dateOfBirth' ? value.replaceAll('-', '') : value;
}

/** The subjectAltName extension of a signing certificate. */
export function basicFourExtension(basicFour: BasicFour): x509.Extension {
  const names = fields.map(
    ([key, typeId]) =>
      new GeneralName({
        otherName: new OtherName({
          typeId,
          value: new Utf8String({ value: stored(key, basicFour[key]) }).toBER(),
        }),
      }),
  );
  const value = AsnConvert.serialize(new SubjectAlternativeName(names));
  return new x509.Extension(pkixOids.subjectAltName, false, value);
}

/** Each certificate object's answer, read once: a verified certificate is one cached object. */
const readBefore = new WeakMap<x509.X509Certificate, BasicFour | MachiError>();

/** Reads the basic four back from a signing certificate; `encoding-invalid` when absent or malformed. */
export function readBasicFour(certificate: x509.X509Certificate): BasicFour {
  let answer = readBefore.get(certificate);
  if (!answer) {
    try {
      answer = Object.freeze(readFromExtension(certificate));
    } catch (error) {
      if (!(error instanceof MachiError)) throw error;
      answer = error;
    }
    readBefore.set(certificate, answer);
  }
  if (answer instanceof MachiError) throw answer;
  return answer;
}

function readFromExtension(certificate: x509.X509Certificate): BasicFour {
  const extension = certificate.getExtension(pkixOids.subjectAltName);
  if (!extension) throw new MachiError('encoding-invalid', 'The signing certificate carries no basic four.');
  const san = AsnConvert.parse(extension.value, SubjectAlternativeName);
  const values = new Map<string, string>();
  for (const general of san) {
    if (!general.otherName) continue;
    const parsed = fromBER(general.otherName.value);
    if (parsed.offset === -1 || !(parsed.result instanceof Utf8String)) {
      throw new MachiError('encoding-invalid', 'A basic-four field of the signing certificate is malformed.');
    }
    values.set(general.otherName.typeId, parsed.result.valueBlock.value);
  }
  const read = (oid: string) => {
    const value = values.get(oid);
    if (value === undefined)
      throw new MachiError('encoding-invalid', 'The signing certificate lacks a basic-four field.');
    return value;
  };
  const sex = read(jpkiOids.sex);
  const dob = read(jpkiOids.dateOfBirth);
  if ((sex !== '1' && sex !== '2' && sex !== '9') || !/^\d{8}$/.test(dob)) {
    throw new MachiError('encoding-invalid', 'A basic-four field of the signing certificate is malformed.');
  }
  return {
    name: read(jpkiOids.name),
    nameSubstitute: read(jpkiOids.nameSubstitute),
    sex,
    dateOfBirth: `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6, 8)}`,
    address: read(jpkiOids.address),
    addressSubstitute: read(jpkiOids.addressSubstitute),
  };
}
