/**
 * Line breaking for Japanese text set horizontally, after JIS X 4051 (日本語文書の組版方法)
 * in its simplest useful form: any two Japanese characters may be split, a run of Latin
 * letters and digits (a receipt number, an amount, a URL) is kept whole unless it is wider
 * than the line, and 禁則処理 keeps closing punctuation and small kana off the start of a
 * line (hung past the margin instead: ぶら下げ) and opening brackets off its end.
 */

/** Not at the start of a line (行頭禁則): closing brackets, punctuation, small kana, ー, 々. */
const NO_START = new Set(
  '、。，．,.・：；:;？！?!ー―‐〜～)）]］}｝」』】〕〉》〙〗’”…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ%％',
);
/** Not at the end of a line (行末禁則): opening brackets and quotes. */
const NO_END = new Set('(（[［{｛「『【〔〈《〘〖‘“￥$＄');

/** A word of Latin script kept whole, one whitespace character, or any other single character. */
const TOKEN = /[A-Za-z0-9À-ɏ#&*+\-/=@^_|~'"]+(?:[.,:][A-Za-z0-9]+)*|\s|./gsu;

function tokens(paragraph: string, width: number, measure: (text: string) => number): string[] {
  const out: string[] = [];
  for (const token of paragraph.match(TOKEN) ?? []) {
    // A word wider than the whole line can only be broken between its letters.
    if (token.length > 1 && measure(token) > width) out.push(...token);
    else out.push(token);
  }
  return out;
}

/**
 * The lines of `text` that fit `width` as `measure` measures them. A newline ends a
 * paragraph; an empty paragraph is an empty line. Spaces at the end of a line are dropped,
 * and so are ASCII spaces at the start of a wrapped one (a full-width space an author put
 * at the start of a paragraph is an indent and stays).
 */
export function breakLines(text: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    let lineWidth = 0;
    let wrapped = false;
    for (const token of tokens(paragraph, width, measure)) {
      const tokenWidth = measure(token);
      if (line === '' && token === ' ' && wrapped) continue;
      if (line === '' || lineWidth + tokenWidth <= width || NO_START.has(token)) {
        line += token;
        lineWidth += tokenWidth;
        continue;
      }
      // Carry opening brackets at the end of the line over, with the token, to the next.
      let carried = '';
      while (line.length > 1 && NO_END.has(line.at(-1) ?? '')) {
        carried = line.at(-1) + carried;
        line = line.slice(0, -1);
      }
      lines.push(line.trimEnd());
      wrapped = true;
      line = token === ' ' ? carried : carried + token;
      lineWidth = measure(line);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
