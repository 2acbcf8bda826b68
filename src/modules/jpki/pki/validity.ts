/**
 * The end of a JPKI certificate's validity: like the real card's certificates, the
 * 5th birthday after the day of issue (電子署名等に係る地方公共団体情報システム機構の
 * 認証業務に関する法律施行規則), at the end of that day in Japan (UTC+9, no DST).
 * A birthday on 29 February counts as 28 February in a common year.
 */
export function fifthBirthdayAfter(issuedAt: Date, birthDate: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) throw new RangeError('birthDate must be YYYY-MM-DD');
  const [month, day] = [Number(match[2]), Number(match[3])];
  // The calendar day of issue in Japan.
  const jst = new Date(issuedAt.getTime() + 9 * 3_600_000);
  const issueYear = jst.getUTCFullYear();
  const issueKey = (jst.getUTCMonth() + 1) * 100 + jst.getUTCDate();
  // A birthday later this year is the first after issue; on or before today, next year's.
  const firstYear = month * 100 + day > issueKey ? issueYear : issueYear + 1;
  const year = firstYear + 4;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const birthDay = month === 2 && day === 29 && !leap ? 28 : day;
  // 23:59:59 JST on that day.
  return new Date(Date.UTC(year, month - 1, birthDay, 23 - 9, 59, 59));
}
