export {
  defaultPorts,
  demoMunicipalities,
  type JpkiConfig,
  loadConfig,
  type MachiConfig,
  parseZoneName,
  type SanitizeConfig,
  type ZoneConfig,
  type ZoneName,
  zoneNames,
} from './config.ts';
