import type { Random } from './random.ts';

/** One member of a generated household, before names and dates are given. */
export interface MemberPlan {
  readonly age: number;
  readonly sex: 1 | 2;
  /** 続柄 to the head of household. */
  readonly relationship: string;
}

/**
 * Japan's population by five-year age group (0–4 … 100+), in millions, after the 2020
 * census and later estimates: the familiar pyramid with the bulges at 45–54 and 70–74.
 */
const pyramid = [
  4.3, 4.9, 5.3, 5.5, 6.2, 6.4, 6.4, 7.2, 8.0, 9.6, 9.0, 8.0, 7.3, 7.6, 9.0, 7.3, 6.0, 4.0, 2.1, 0.6, 0.1,
];

const weightCache = new Map<string, number[]>();

/**
 * An age drawn from the pyramid, limited to [min, max]. `elderBoost` weighs 60 and over
 * more: people living alone or as a couple are far older than the population as a whole.
 */
function age(random: Random, min: number, max: number, elderBoost = 1): number {
  const key = `${min}:${max}:${elderBoost}`;
  let weights = weightCache.get(key);
  if (!weights) {
    weights = pyramid.map((w, group) => {
      const low = group * 5;
      const high = low + 4;
      const overlap = Math.min(high, max) - Math.max(low, min) + 1;
      return overlap > 0 ? ((low >= 60 ? elderBoost : 1) * w * overlap) / 5 : 0;
    });
    weightCache.set(key, weights);
  }
  for (;;) {
    const group = random.weighted(weights);
    const value = group * 5 + random.int(5);
    if (value >= min && value <= max) return value;
  }
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));
const otherSex = (sex: 1 | 2): 1 | 2 => (sex === 1 ? 2 : 1);
const spouseTerm = (sex: 1 | 2) => (sex === 1 ? '夫' : '妻');

function children(random: Random, motherAge: number, count: number): MemberPlan[] {
  const kids: MemberPlan[] = [];
  for (let i = 0; i < count; i++) {
    const kidAge = motherAge - (24 + random.int(17));
    if (kidAge >= 0 && kidAge < 35)
      kids.push({ age: kidAge, sex: random.chance(0.512) ? 1 : 2, relationship: '子' });
  }
  return kids.sort((a, b) => b.age - a.age);
}

/**
 * Household kinds with their share of Japan's households (2020 census, 一般世帯): one person
 * 38 %, a couple 20 %, a couple with children 25 %, one parent with children 9 %, three
 * generations and others 8 %. The head comes first; everyone shares the surname and address.
 */
const kinds = [38, 20, 25, 9, 8];

export function planHousehold(random: Random): MemberPlan[] {
  switch (random.weighted(kinds)) {
    case 0: {
      // Alone: young adults and, more often, the old (many of them women).
      const headAge = age(random, 18, 100, 2.2);
      return [
        { age: headAge, sex: random.chance(headAge >= 70 ? 0.35 : 0.55) ? 1 : 2, relationship: '世帯主' },
      ];
    }
    case 1: {
      const headSex: 1 | 2 = random.chance(0.92) ? 1 : 2;
      const headAge = age(random, 22, 98, 3);
      const spouseAge = clamp(headAge + (headSex === 1 ? -random.int(6) : random.int(6)), 20, 100);
      return [
        { age: headAge, sex: headSex, relationship: '世帯主' },
        { age: spouseAge, sex: otherSex(headSex), relationship: spouseTerm(otherSex(headSex)) },
      ];
    }
    case 2: {
      const headAge = age(random, 26, 62);
      const wifeAge = clamp(headAge - random.int(5), 22, 62);
      return [
        { age: headAge, sex: 1, relationship: '世帯主' },
        { age: wifeAge, sex: 2, relationship: '妻' },
        ...children(random, wifeAge, 1 + random.weighted([45, 40, 15])),
      ];
    }
    case 3: {
      const headSex: 1 | 2 = random.chance(0.85) ? 2 : 1;
      const headAge = age(random, 26, 60);
      const kids = children(random, headAge, 1 + random.weighted([60, 40]));
      return [{ age: headAge, sex: headSex, relationship: '世帯主' }, ...kids];
    }
    default: {
      // Three generations: a couple with children living with the husband's parent(s).
      const headAge = age(random, 32, 60);
      const wifeAge = clamp(headAge - random.int(5), 28, 60);
      const fatherAge = clamp(headAge + 26 + random.int(10), 55, 100);
      const parents: MemberPlan[] = [];
      if (random.chance(0.6)) parents.push({ age: fatherAge, sex: 1, relationship: '父' });
      if (parents.length === 0 || random.chance(0.8)) {
        parents.push({ age: clamp(fatherAge - random.int(5), 52, 102), sex: 2, relationship: '母' });
      }
      return [
        { age: headAge, sex: 1, relationship: '世帯主' },
        { age: wifeAge, sex: 2, relationship: '妻' },
        ...children(random, wifeAge, 1 + random.weighted([50, 50])),
        ...parents,
      ];
    }
  }
}
