import type { Lang, NavLink, Text, ZoneName } from '../core/index.ts';

/** The zone's name as staff and residents know it (三層の対策). */
export const zoneLabels: Readonly<Record<ZoneName, Text>> = {
  internet: { ja: 'インターネット接続系', en: 'Internet zone' },
  lgwan: { ja: 'LGWAN接続系', en: 'LGWAN zone' },
  mynumber: { ja: '個人番号利用事務系', en: 'My Number zone' },
};

export function zoneLabel(zone: ZoneName, lang: Lang): string {
  return zoneLabels[zone][lang];
}

/** The home link every page of src/web shows first in its navigation. */
export function homeNav(lang: Lang): NavLink {
  return { href: '/', label: lang === 'ja' ? 'ホーム' : 'Home' };
}
