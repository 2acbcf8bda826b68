import type { FastifyReply, FastifyRequest } from 'fastify';
import { findMunicipality, page, pickLang, type SafeHtml, t } from '../../../core/index.ts';
import { currentStaff } from '../../identity/index.ts';

const lgwanZone = { ja: 'LGWAN接続系', en: 'LGWAN zone' };

/** A points page for staff (lgwan): the staff shell, the points menu, the signed-in person. */
export function sendStaffPointsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  view: { title: string; body: SafeHtml; status?: number; error?: boolean },
): FastifyReply {
  const lang = pickLang(request);
  const staff = currentStaff(request);
  const municipality = findMunicipality(staff.municipalityCode);
  const ja = lang === 'ja';
  const markup = page({
    lang,
    title: view.error ? `${ja ? 'エラー：' : 'Error: '}${view.title}` : view.title,
    zoneLabel: t(lang, lgwanZone),
    body: view.body,
    nav: [
      { href: '/', label: ja ? 'ホーム' : 'Home' },
      { href: '/points/admin', label: ja ? 'ポイントの状況' : 'Points at a glance' },
      { href: '/points/admin/programmes', label: ja ? 'ポイント付与事業' : 'Earning programmes' },
      { href: '/points/admin/merchants', label: ja ? '加盟店' : 'Merchants' },
      { href: '/points/admin/premium', label: ja ? 'プレミアムポイント' : 'Premium points' },
      { href: '/points/admin/partners', label: ja ? '提携事業者・請求' : 'Partners and invoices' },
      { href: '/points/admin/settlement', label: ja ? '加盟店への精算' : 'Merchant settlement' },
    ],
    user: {
      displayName: staff.displayName,
      municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
      csrfToken: staff.csrfToken,
    },
    path: request.url,
  });
  return reply
    .status(view.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(markup.toString());
}
