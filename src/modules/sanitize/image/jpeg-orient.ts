/**
 * EXIF orientation applied to a JPEG's DCT coefficients, losslessly (as `jpegtran -perfect`
 * does): a transpose moves blocks across the diagonal and transposes each block (and the
 * quantization tables); a mirror moves blocks across the image and negates the coefficients of
 * odd frequency across it. A mirror is exact only when the image fills its last MCU in that
 * direction; otherwise the padding would come out on the wrong side, and the caller turns the
 * pixels instead.
 */
import type { BaselineJpeg } from './jpeg-baseline.ts';
import { type ComponentBlocks, mcuGrid } from './jpeg-coefficients.ts';

/** The natural (row-major) index of each zigzag position (ITU T.81 Figure A.6). */
const NATURAL = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
]);
const ZIGZAG = new Uint8Array(64);
for (let p = 0; p < 64; p++) ZIGZAG[NATURAL[p]!] = p;

/** Transpose first, then mirror left–right and top–bottom: each orientation (EXIF 2.32 4.6.4 A). */
const STEPS: Record<number, { transpose: boolean; mirrorX: boolean; mirrorY: boolean }> = {
  2: { transpose: false, mirrorX: true, mirrorY: false },
  3: { transpose: false, mirrorX: true, mirrorY: true },
  4: { transpose: false, mirrorX: false, mirrorY: true },
  5: { transpose: true, mirrorX: false, mirrorY: false },
  6: { transpose: true, mirrorX: true, mirrorY: false },
  7: { transpose: true, mirrorX: true, mirrorY: true },
  8: { transpose: true, mirrorX: false, mirrorY: true },
};

/** For each zigzag position: where it goes, and whether its sign turns (bit 7). */
function positionMap(transpose: boolean, mirrorX: boolean, mirrorY: boolean): Uint8Array {
  const map = new Uint8Array(64);
  for (let p = 0; p < 64; p++) {
    const natural = NATURAL[p]!;
    let u = natural & 7; // horizontal frequency
    let v = natural >> 3; // vertical frequency
    if (transpose) [u, v] = [v, u];
    const negate = (mirrorX && u % 2 === 1) !== (mirrorY && v % 2 === 1);
    map[p] = ZIGZAG[v * 8 + u]! | (negate ? 0x80 : 0);
  }
  return map;
}

/** The image as displayed, or undefined when a mirror would not be exact. */
export function orientBlocks(
  jpeg: BaselineJpeg,
  blocks: readonly ComponentBlocks[],
  orientation: number,
): { jpeg: BaselineJpeg; blocks: ComponentBlocks[] } | undefined {
  const steps = STEPS[orientation];
  if (!steps) return { jpeg, blocks: [...blocks] };
  const { transpose, mirrorX, mirrorY } = steps;
  const turned: BaselineJpeg = {
    ...jpeg,
    width: transpose ? jpeg.height : jpeg.width,
    height: transpose ? jpeg.width : jpeg.height,
    components: jpeg.components.map((c) => (transpose ? { ...c, h: c.v, v: c.h } : c)),
    // A transposed block is dequantized by the transposed table.
    quantTables: jpeg.quantTables.map((table) => {
      if (!table || !transpose) return table;
      const across = positionMap(true, false, false);
      const out = new Uint8Array(64);
      for (let p = 0; p < 64; p++) out[across[p]!] = table[p]!;
      return out;
    }),
  };
  const grid = mcuGrid(turned);
  if (mirrorX && turned.width % (8 * grid.hMax) !== 0) return undefined;
  if (mirrorY && turned.height % (8 * grid.vMax) !== 0) return undefined;
  const map = positionMap(transpose, mirrorX, mirrorY);
  return { jpeg: turned, blocks: blocks.map((source) => orientComponent(source, map, steps)) };
}

function orientComponent(
  source: ComponentBlocks,
  map: Uint8Array,
  { transpose, mirrorX, mirrorY }: { transpose: boolean; mirrorX: boolean; mirrorY: boolean },
): ComponentBlocks {
  const blocksPerLine = transpose ? source.blocksPerColumn : source.blocksPerLine;
  const blocksPerColumn = transpose ? source.blocksPerLine : source.blocksPerColumn;
  const usedPerLine = transpose ? source.usedPerColumn : source.usedPerLine;
  const usedPerColumn = transpose ? source.usedPerLine : source.usedPerColumn;
  const count = blocksPerLine * blocksPerColumn;
  const dc = new Int16Array(count);
  const first = new Int32Array(count);
  const last = new Int32Array(count);
  const entries = source.last.reduce((most, end) => Math.max(most, end), 0);
  const position = new Uint8Array(entries);
  const value = new Int16Array(entries);
  // One block's coefficients by new position, and which positions are taken (bits of two words).
  const scratch = new Int16Array(64);
  // Read once, into locals: V8 cannot tell that the stores below (into typed arrays, which may
  // share a buffer) leave the source's arrays as they were, and would load them again for
  // every coefficient (~15 % of the turn of a bench photo, 16–18 against 19–27 ms).
  const { dc: sourceDc, first: sourceFirst, last: sourceLast } = source;
  const { position: sourcePosition, value: sourceValue, blocksPerLine: sourcePerLine } = source;
  let n = 0;
  for (let row = 0; row < blocksPerColumn; row++) {
    for (let column = 0; column < blocksPerLine; column++) {
      // Mirrors are exact here (the caller checked), so the used grid is the whole grid across them.
      const r = mirrorY ? usedPerColumn - 1 - row : row;
      const c = mirrorX ? usedPerLine - 1 - column : column;
      const from = transpose ? c * sourcePerLine + r : r * sourcePerLine + c;
      const to = row * blocksPerLine + column;
      dc[to] = sourceDc[from]!;
      first[to] = n;
      let low = 0;
      let high = 0;
      const end = sourceLast[from]!;
      for (let j = sourceFirst[from]!; j < end; j++) {
        const target = map[sourcePosition[j]!]!;
        const at = target & 0x3f;
        scratch[at] = target & 0x80 ? -sourceValue[j]! : sourceValue[j]!;
        if (at < 32) low |= 1 << at;
        else high |= 1 << (at - 32);
      }
      // Out in zigzag order: lowest set bit first.
      while (low !== 0) {
        const at = 31 - Math.clz32(low & -low);
        position[n] = at;
        value[n++] = scratch[at]!;
        low &= low - 1;
      }
      while (high !== 0) {
        const at = 31 - Math.clz32(high & -high);
        position[n] = at + 32;
        value[n++] = scratch[at + 32]!;
        high &= high - 1;
      }
      last[to] = n;
    }
  }
  return { blocksPerLine, blocksPerColumn, usedPerLine, usedPerColumn, dc, first, last, position, value };
}
