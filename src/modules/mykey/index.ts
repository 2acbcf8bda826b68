// The MyKey platform's door: MyKey IDs (マイキーID) set up with the My Number card.
export { mykeyMigrations } from './migrations.ts';
export { type MyKeyDb, type MyKeyTables, myKeyIdOf, setUpMyKeyId } from './mykey-id.ts';
