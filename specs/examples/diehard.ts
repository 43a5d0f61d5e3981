// DieHard, after tlaplus/Examples specifications/DieHard/DieHard.tla (Lamport):
// the 3- and 5-gallon jugs puzzle from the film. TLC finds 16 distinct states,
// 97 generated, depth 8 with TypeOK alone; NotSolved (big /= 4) is violated with
// a shortest trace of 7 states.
import { Record } from 'immutable';
import { defineSpec } from '../../src/engine/index.ts';

const Jugs = Record({ big: 0, small: 0 });
type Jugs = ReturnType<typeof Jugs>;

const min = (a: number, b: number): number => (a < b ? a : b);

export default defineSpec({
  name: 'DieHard',
  description: 'Measure 4 gallons with a 3-gallon and a 5-gallon jug',
  constants: {},
  init: () => [Jugs()],
  actions: {
    FillSmallJug: (s: Jugs) => s.set('small', 3),
    FillBigJug: (s: Jugs) => s.set('big', 5),
    EmptySmallJug: (s: Jugs) => s.set('small', 0),
    EmptyBigJug: (s: Jugs) => s.set('big', 0),
    SmallToBig: (s: Jugs) => {
      const pour = min(s.small, 5 - s.big);
      return s.merge({ big: s.big + pour, small: s.small - pour });
    },
    BigToSmall: (s: Jugs) => {
      const pour = min(s.big, 3 - s.small);
      return s.merge({ big: s.big - pour, small: s.small + pour });
    },
  },
  invariants: {
    TypeOK: {
      description: 'small is in 0..3 and big is in 0..5',
      holds: (s) => s.small >= 0 && s.small <= 3 && s.big >= 0 && s.big <= 5,
    },
    NotSolved: {
      description: 'the big jug never holds exactly 4 gallons (its violation is the solution)',
      holds: (s) => s.big !== 4,
    },
  },
});
