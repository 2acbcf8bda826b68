import { findMunicipality, type LgCode, type Municipality, parseLgCode } from '../../../core/index.ts';
import { x509 } from '../../jpki/index.ts';

/** Who signs a disposition notice: the municipality, in the person of its head (首長). */
export interface SignerMunicipality {
  readonly code: LgCode;
  /** 千代田区, 札幌市, 東京都. */
  readonly name: string;
  /** The head's title as a notice names the 処分庁: 千代田区長, 札幌市長, 東京都知事. */
  readonly headTitle: string;
}

/**
 * X.520 organizationIdentifier: the attribute for an organisation's registered identifier.
 * It holds the bare 6-digit 地方公共団体コード (with its JIS X 0402 check digit); the ETSI
 * EN 319 412-1 "NTRJP-…" form would claim the national trade register, which a municipality
 * is not in.
 */
export const ORGANIZATION_IDENTIFIER = '2.5.4.97';

/** A prefecture is headed by a 知事; a city, ward, town or village by a 長 (地方自治法第139条). */
export function headTitleOf(municipality: Pick<Municipality, 'name' | 'kind'>): string {
  return municipality.kind === 'prefecture' ? `${municipality.name}知事` : `${municipality.name}長`;
}

/** The signer for a code of the national list (throws `lg-code-invalid` / `municipality-unknown`). */
export function signerMunicipalityOf(code: string): SignerMunicipality {
  const found = findMunicipality(code);
  return { code: found.code, name: found.name, headTitle: headTitleOf(found) };
}

/**
 * The subject of a 職責証明書-like certificate. LGPKI names the office, not the person holding
 * it (職責証明書 certify a post such as 市長), so a new mayor needs no new certificate:
 *   C=JP, ST=<prefecture>, O=<municipality>, organizationIdentifier=<lgCode>, CN=<head title>
 * Built as JSON so that no name ever needs RFC 4514 escaping.
 */
export function signerSubject(municipality: SignerMunicipality, prefecture: string): x509.Name {
  return new x509.Name([
    { C: ['JP'] },
    { ST: [prefecture] },
    { O: [municipality.name] },
    { [ORGANIZATION_IDENTIFIER]: [municipality.code] },
    { CN: [municipality.headTitle] },
  ]);
}

/** The municipality a signer certificate names; undefined when the subject lacks a part of it. */
export function readSignerMunicipality(certificate: x509.X509Certificate): SignerMunicipality | undefined {
  const field = (type: string) => {
    const values = certificate.subjectName.getField(type);
    return values.length === 1 ? values[0] : undefined;
  };
  const code = field(ORGANIZATION_IDENTIFIER);
  const name = field('O');
  const headTitle = field('CN');
  if (!code || !name || !headTitle) return undefined;
  try {
    return { code: parseLgCode(code), name, headTitle };
  } catch {
    return undefined;
  }
}
