import { formatWareki, html, type Lang, type SafeHtml } from '../../../core/index.ts';

export { tokyoDateTime } from '../../../core/index.ts';

/** A machine-readable instant for <time datetime>. */
export function isoInstant(at: Date | string): string {
  return new Date(at).toISOString();
}

/** A calendar day: 和暦 first with the ISO date beside it in Japanese; ISO first in English. */
export function dayText(lang: Lang, iso: string): string {
  try {
    return lang === 'ja'
      ? `${formatWareki(iso)}（${iso}）`
      : `${iso} (${formatWareki(iso, { style: 'en' })})`;
  } catch {
    return iso;
  }
}

/**
 * Days left against the standard processing period. Overdue is said in words and marked
 * strong, never by colour alone (WCAG 1.4.1).
 */
export function daysLeftText(
  lang: Lang,
  daysLeft: number | null,
  dueOn: string | null,
  open: boolean,
): SafeHtml {
  const ja = lang === 'ja';
  if (!open) return html`<span>—</span>`;
  if (daysLeft === null || dueOn === null) return html`${ja ? '期限なし' : 'No deadline'}`;
  if (daysLeft < 0) {
    const over = -daysLeft;
    return html`<strong class="overdue">${ja ? `${over}日超過` : `${over} day${over === 1 ? '' : 's'} overdue`}</strong>`;
  }
  if (daysLeft === 0) return html`<strong>${ja ? '本日が期限' : 'Due today'}</strong>`;
  return html`${ja ? `あと${daysLeft}日` : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`}`;
}

/** A file's size in the unit people read. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Text a person wrote over several lines, kept on its lines (escaped; no markup from the text). */
export function multiline(text: string): SafeHtml {
  return html`${text.split(/\r?\n/).map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}`;
}
