// Switching one task to the target state, the way every switch point does it
// (klp_update_patch_state(), and the success path of klp_check_and_switch_task()):
// clear TIF_PATCH_PENDING, patch_state := klp_target_state. Also records, in
// the ghost variable read by `stack-check-sound`, the first switch that left
// the task with a frame of a transition function it no longer runs.
import { dispatch, entryIndex } from './dispatch.ts';
import { frameText, type LivepatchState } from './state.ts';

export function switchTask(s: LivepatchState, name: string, by: string): LivepatchState {
  const t = s.tasks.get(name)!;
  const switched = t.merge({ pending: false, patchState: s.targetState });
  let next = s.setIn(['tasks', name], switched);
  if (next.unsoundSwitch === '') {
    for (const f of switched.stack) {
      if (entryIndex(s.funcStack.get(f.fn), s.transitionPatch) < 0) continue;
      const runs = dispatch(s, switched.patchState, f.fn);
      if (runs !== f.version) {
        next = next.set('unsoundSwitch', `${by} switched ${name} to ${switched.patchState} while it had a frame of ${frameText(f)}; it now runs ${f.fn}@${runs}`);
        break;
      }
    }
  }
  return next;
}
