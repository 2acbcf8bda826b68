import { describe, expect, it } from 'vitest';
import { fiscalYearOf, fiscalYearRange, formatFiscalYear, parseFiscalYear } from './fiscal-year.ts';

describe('年度', () => {
  it('puts January–March in the previous fiscal year', () => {
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearOf('2025-04-01')).toBe(2025);
    expect(fiscalYearOf('2025-12-31')).toBe(2025);
    expect(fiscalYearOf('2026-01-01')).toBe(2025);
    // 2026-03-31T15:00Z is already 1 April in Tokyo.
    expect(fiscalYearOf(new Date('2026-03-31T15:00:00Z'))).toBe(2026);
    expect(fiscalYearOf(new Date('2026-03-31T14:59:59Z'))).toBe(2025);
    expect(() => fiscalYearOf('2026-02-30')).toThrowError(expect.objectContaining({ code: 'date-invalid' }));
  });

  it('gives its first and last day', () => {
    expect(fiscalYearRange(2025)).toEqual({ start: '2025-04-01', end: '2026-03-31' });
    expect(fiscalYearRange(2023)).toEqual({ start: '2023-04-01', end: '2024-03-31' });
    for (const bad of [1872, 9999, 2025.5, Number.NaN]) {
      expect(() => fiscalYearRange(bad), String(bad)).toThrowError(/whole year from 1873 to 9998/);
    }
  });

  it('names it in the era, 令和元年度 for 2019 unless asked for the era on 1 April', () => {
    expect(formatFiscalYear(2025)).toBe('令和7年度');
    expect(formatFiscalYear(2019)).toBe('令和元年度');
    expect(formatFiscalYear(2019, { eraOn: 'start' })).toBe('平成31年度');
    expect(formatFiscalYear(2018)).toBe('平成30年度');
    expect(formatFiscalYear(1989)).toBe('平成元年度');
    expect(formatFiscalYear(1989, { eraOn: 'start' })).toBe('平成元年度');
    expect(formatFiscalYear(1988)).toBe('昭和63年度');
    expect(formatFiscalYear(2025, { lang: 'en' })).toBe('FY2025 (Reiwa 7)');
    expect(() => formatFiscalYear(1872)).toThrowError(expect.objectContaining({ code: 'date-invalid' }));
  });

  it('reads fiscal years back', () => {
    expect(parseFiscalYear('令和7年度')).toBe(2025);
    expect(parseFiscalYear('令和元年度')).toBe(2019);
    expect(parseFiscalYear('平成31年度')).toBe(2019);
    expect(parseFiscalYear('R7年度')).toBe(2025);
    expect(parseFiscalYear('令和七年度')).toBe(2025);
    expect(parseFiscalYear('2025年度')).toBe(2025);
    expect(parseFiscalYear('FY2025')).toBe(2025);
    expect(parseFiscalYear('ＦＹ２０２５')).toBe(2025);
    for (let fy = 1990; fy <= 2035; fy++) expect(parseFiscalYear(formatFiscalYear(fy))).toBe(fy);
    for (const bad of ['令和7年', '年度', '平成40年度', 'FY', 'FY25', '令和0年度', 2025]) {
      expect(() => parseFiscalYear(bad), String(bad)).toThrowError(
        expect.objectContaining({ code: 'date-invalid' }),
      );
    }
  });
});
