export {
  defaultPorts,
  demoMunicipalities,
  loadConfig,
  type MachiConfig,
  parseZoneName,
  type ZoneConfig,
  type ZoneName,
  zoneNames,
} from './config.ts';
