// Chameneos, after tlaplus/Examples specifications/Chameneos/Chameneos.tla
// (Mariusz Ryndzionek): the chameneos concurrency game. M creatures of three
// colours meet pairwise at a meeting place; both take the complement of their two
// colours, and after N meetings in all each creature fades. With N = 4, M = 4,
// TypeOK and SumMet checked and deadlock not checked (Chameneos.cfg), TLC 2.18
// finds 34,534 distinct states, 104,697 generated, depth 13.
import { List, Record } from 'immutable';
import { defineSpec } from '../../src/engine/index.ts';

type Color = 'blue' | 'red' | 'yellow';
// Faded and MeetingPlaceEmpty are model values in Chameneos.cfg.
const Faded = 'Faded';
const MeetingPlaceEmpty = 'MeetingPlaceEmpty';

const COLORS: readonly Color[] = ['blue', 'red', 'yellow'];

/** The TLA+ pair <<color, meetings>>: a creature's colour and how many meetings it has been in. */
const Creature = Record<{ color: Color | typeof Faded; meetings: number }>({ color: 'blue', meetings: 0 }, 'Creature');
type Creature = ReturnType<typeof Creature>;

const State = Record({
  /** chameneoses[cid] for cid \in 1..M, stored at index cid - 1. */
  chameneoses: List<Creature>(),
  meetingPlace: MeetingPlaceEmpty as number | typeof MeetingPlaceEmpty,
  numMeetings: 0,
});
type State = ReturnType<typeof State>;

type Constants = { readonly N: number; readonly M: number };

/** Complement(c1, c2): the same colour if equal, else the third colour. */
function complement(c1: Color, c2: Color): Color {
  if (c1 === c2) return c1;
  for (const c of COLORS) if (c !== c1 && c !== c2) return c;
  throw new Error(`no complement of ${c1} and ${c2}`);
}

/** Every function in [1..m -> Color \X {0}], as lists of creatures. */
function* allColorings(m: number): Generator<List<Creature>> {
  if (m === 0) {
    yield List();
    return;
  }
  for (const rest of allColorings(m - 1)) for (const color of COLORS) yield rest.push(Creature({ color, meetings: 0 }));
}

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

export default defineSpec({
  name: 'Chameneos',
  description: 'Chameneos concurrency game: creatures meet pairwise and change colour until N meetings, then fade',
  constants: { N: 4, M: 4 } as Constants,
  init: function* (c) {
    for (const chameneoses of allColorings(c.M)) yield State({ chameneoses });
  },
  actions: {
    // Next == \E c \in {x \in ChameneosID : chameneoses[x][1] /= Faded} : Meet(c)
    Meet: {
      params: { cid: (c: Constants) => range(1, c.M) },
      next(s: State, p: { readonly cid: number }, c: Constants): State | false {
        const me = s.chameneoses.get(p.cid - 1)!;
        if (me.color === Faded) return false;
        const mp = s.meetingPlace;
        if (mp === MeetingPlaceEmpty) {
          // The creature enters the empty meeting place, or fades once N meetings are done.
          return s.numMeetings < c.N
            ? s.set('meetingPlace', p.cid)
            : s.set('chameneoses', s.chameneoses.set(p.cid - 1, me.set('color', Faded)));
        }
        if (mp === p.cid) return false;
        // The meeting place is taken: the two creatures meet and both mutate.
        // The waiting creature never faded (fading needs an empty meeting place).
        const other = s.chameneoses.get(mp - 1)!;
        const newColor = complement(me.color as Color, other.color as Color);
        return s.merge({
          meetingPlace: MeetingPlaceEmpty,
          chameneoses: s.chameneoses
            .set(p.cid - 1, Creature({ color: newColor, meetings: me.meetings + 1 }))
            .set(mp - 1, Creature({ color: newColor, meetings: other.meetings + 1 })),
          numMeetings: s.numMeetings + 1,
        });
      },
    },
  },
  invariants: {
    TypeOK: {
      description: 'each creature has a colour (or Faded) and 0..N meetings; the meeting place holds a creature id or is empty',
      holds: (s, c) =>
        s.chameneoses.size === c.M &&
        s.chameneoses.every(
          (x) => (x.color === Faded || COLORS.includes(x.color)) && Number.isInteger(x.meetings) && x.meetings >= 0 && x.meetings <= c.N,
        ) &&
        (s.meetingPlace === MeetingPlaceEmpty || (Number.isInteger(s.meetingPlace) && s.meetingPlace >= 1 && s.meetingPlace <= c.M)),
    },
    SumMet: {
      description: 'once N meetings have happened, the creatures have been in 2 * N meetings in total',
      holds: (s, c) => s.numMeetings !== c.N || s.chameneoses.reduce((sum, x) => sum + x.meetings, 0) === 2 * c.N,
    },
  },
  checkInvariants: ['TypeOK', 'SumMet'],
  checkDeadlock: false,
});
