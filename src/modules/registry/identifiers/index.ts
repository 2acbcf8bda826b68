export { type MyNumber, myNumberCheckDigit, parseMyNumber } from './my-number.ts';
export {
  isResidentCode,
  parseResidentCode,
  type ResidentCode,
  residentCodeCheckDigit,
} from './resident-code.ts';
