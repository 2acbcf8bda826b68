import type { Municipality } from '../../../core/index.ts';
import type { Random } from './random.ts';

/** A 町 (town district) of a municipality with its 郵便番号. */
export interface Town {
  readonly name: string;
  readonly postalCode: string;
  /** Whether addresses there are written with 丁目. */
  readonly chome: boolean;
}

/** 千代田区's real 町名 and postal codes, so the default demo municipality reads true. */
const chiyoda: readonly Town[] = `
丸の内:1000005 大手町:1000004 有楽町:1000006 内幸町:1000011 霞が関:1000013 永田町:1000014
平河町:1020093 隼町:1020092 麹町:1020083 紀尾井町:1020094 一番町:1020082 二番町:1020084 三番町:1020075
四番町:1020081 五番町:1020076 六番町:1020085 九段北:1020073 九段南:1020074 富士見:1020071 飯田橋:1020072
西神田:1010065 神田神保町:1010051 神田小川町:1010052 神田駿河台:1010062 外神田:1010021 岩本町:1010032
東神田:1010031 神田須田町:1010041`
  .trim()
  .split(/\s+/)
  .map((pair) => {
    const [name, postalCode] = pair.split(':') as [string, string];
    return { name, postalCode, chome: !['永田町', '紀尾井町', '隼町'].includes(name) };
  });

/** Town names found all over Japan, for municipalities without a table of their own. */
const commonTowns =
  `本町 栄町 緑町 旭町 中央 東町 西町 南町 北町 幸町 若葉町 桜台 新町 元町 寿町 宮前 大通 港町
春日 八幡町 日の出町 富士見 錦町 松原 青葉台 泉町 末広町 花園 朝日町 山手 昭和町 大和町 平和町 曙町 住吉町
稲荷町 柳町 桜町 梅が丘 竹の内 城山 城東 城西 弥生町 美園 白山 宮本町 清水町 駅前 新田 本郷 三条 上町
中町 天神 明神町 港南 緑が丘 光が丘`
    .trim()
    .split(/\s+/);

/**
 * First two digits of the 郵便番号 by prefecture (JIS X 0401 code order): Japan Post assigns
 * its regions roughly this way (東京都 10–20, 北海道 04–09, 沖縄県 90…).
 */
const postalRegions: readonly (readonly [number, number])[] = [
  [4, 9],
  [3, 3],
  [2, 2],
  [98, 98],
  [1, 1],
  [99, 99],
  [96, 97],
  [30, 31],
  [32, 32],
  [37, 37],
  [33, 36],
  [26, 29],
  [10, 20],
  [21, 25],
  [94, 95],
  [93, 93],
  [92, 92],
  [91, 91],
  [40, 40],
  [38, 39],
  [50, 50],
  [41, 43],
  [44, 49],
  [51, 51],
  [52, 52],
  [60, 62],
  [53, 59],
  [65, 67],
  [63, 63],
  [64, 64],
  [68, 68],
  [69, 69],
  [70, 71],
  [72, 73],
  [74, 75],
  [77, 77],
  [76, 76],
  [79, 79],
  [78, 78],
  [80, 83],
  [84, 84],
  [85, 85],
  [86, 86],
  [87, 87],
  [88, 88],
  [89, 89],
  [90, 90],
];

/** The towns of a municipality: a fixed table where we have one, else 20–40 common names. */
export function townsOf(municipality: Municipality, random: Random): readonly Town[] {
  if (municipality.code === '131016') return chiyoda;
  const prefecture = Number(municipality.code.slice(0, 2));
  const [low, high] = postalRegions[prefecture - 1] ?? [10, 20];
  const region = low + random.int(high - low + 1);
  const prefix = `${String(region).padStart(2, '0')}${random.int(10)}`;
  const count = 20 + random.int(21);
  const names = random.shuffle([...commonTowns]).slice(0, count);
  return names.map((name, index) => ({
    name,
    postalCode: `${prefix}${String(index * 100 + random.int(100)).padStart(4, '0')}`,
    chome: random.chance(0.7),
  }));
}

const kanjiDigits = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const buildingHeads = [
  'サン',
  'メゾン',
  'コーポ',
  'グラン',
  'パーク',
  'ロイヤル',
  'シャトー',
  'ヴィラ',
  'レジデンス',
  'エクセル',
];
const buildingTails = [
  'ハイツ',
  'ハイム',
  'コート',
  'パレス',
  'マンション',
  'テラス',
  'ヒルズ',
  'タワー',
  '荘',
  'レジデンス',
];
const buildingWords = [
  '桜',
  '青葉',
  '緑',
  '若葉',
  '旭',
  '富士見',
  '中央',
  '第一',
  '第二',
  '東',
  '南',
  '駅前',
];

/** 町名 + 丁目・番・号, and a building with its room some of the time (as on a 住民票). */
export function addressIn(town: Town, random: Random): string {
  const block = `${1 + random.int(30)}番${1 + random.int(25)}号`;
  const street = town.chome
    ? `${town.name}${kanjiDigits[1 + random.int(5)]}丁目${block}`
    : `${town.name}${block}`;
  if (!random.chance(0.4)) return street;
  const building = `${random.pick(buildingHeads)}${random.pick(buildingWords)}${random.pick(buildingTails)}`;
  const room = `${1 + random.int(8)}${String(1 + random.int(12)).padStart(2, '0')}`;
  return `${street} ${building}${room}号室`;
}
