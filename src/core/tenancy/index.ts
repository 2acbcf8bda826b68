export { isLgCode, type LgCode, lgCodeCheckDigit, parseLgCode } from './lg-code.ts';
export {
  findMunicipality,
  type Municipality,
  type MunicipalityKind,
  nationalList,
} from './municipalities.ts';
export { type TenantScope, tenantScope } from './scope.ts';
export { ServedMunicipalities } from './served.ts';
