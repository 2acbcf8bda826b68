// The MyKey platform's door: MyKey IDs (マイキーID) set up with the My Number card, and the
// facility cards (library, gym, museum…) that live on it.
export {
  type FacilityDb,
  type FacilityKind,
  facilityCardsOf,
  facilityOfToken,
  issueFacilityKey,
  linkFacilityCard,
  memberNumberAt,
  registerFacility,
} from './facility-cards.ts';
export { mykeyMigrations } from './migrations.ts';
export { type MyKeyDb, type MyKeyTables, myKeyIdOf, setUpMyKeyId } from './mykey-id.ts';
export { CardAnswer, type MyKeyRoutesOptions, registerMyKeyRoutes } from './routes.ts';
