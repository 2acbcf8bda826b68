import type { Lang } from './lang.ts';
import type { NavLink } from './layout.ts';

/**
 * The resident portal's menu (internet zone), the same on every resident page whichever module
 * draws it: procedures, inbox, points, my page.
 */
export function residentNav(lang: Lang): NavLink[] {
  const ja = lang === 'ja';
  return [
    { href: '/', label: ja ? 'ホーム' : 'Home' },
    { href: '/procedures', label: ja ? 'オンライン手続' : 'Online procedures' },
    { href: '/submissions', label: ja ? '申請の一覧' : 'My applications' },
    { href: '/inbox', label: ja ? 'お知らせ' : 'Inbox' },
    { href: '/points', label: ja ? 'ポイント' : 'Points' },
    { href: '/me', label: ja ? 'マイページ' : 'My page' },
  ];
}
