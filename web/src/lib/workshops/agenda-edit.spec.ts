import { describe, expect, it } from 'vitest';
import {
  agendaChanged,
  invalidSteps,
  maxStepTitle,
  moveStep,
  newStepKey,
  removeStep,
  renameStep,
} from './agenda-edit.js';

const agenda = [
  { key: 'a', title: 'Welcome' },
  { key: 'b', title: 'The Phoenix Journey' },
  { key: 'c', title: 'Closing circle' },
];

describe('agenda editing', () => {
  it('moves a step up and down, clamped at the ends, without touching the original', () => {
    expect(moveStep(agenda, 2, -1).map((s) => s.key)).toEqual(['a', 'c', 'b']);
    expect(moveStep(agenda, 0, 1).map((s) => s.key)).toEqual(['b', 'a', 'c']);
    expect(moveStep(agenda, 0, -1).map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(moveStep(agenda, 2, 5).map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(moveStep(agenda, 7, -1).map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(agenda.map((s) => s.key)).toEqual(['a', 'b', 'c']);
  });

  it('renames and removes one step', () => {
    expect(renameStep(agenda, 1, 'Rising from the ashes')[1]).toEqual({
      key: 'b',
      title: 'Rising from the ashes',
    });
    expect(removeStep(agenda, 0).map((s) => s.key)).toEqual(['b', 'c']);
  });

  it('flags empty and over-long titles', () => {
    expect(invalidSteps(agenda)).toEqual([]);
    expect(
      invalidSteps([{ title: '   ' }, { title: 'ok' }, { title: 'x'.repeat(maxStepTitle + 1) }]),
    ).toEqual([0, 2]);
  });

  it('tells a real change from none', () => {
    expect(
      agendaChanged(
        agenda,
        agenda.map((s) => ({ ...s })),
      ),
    ).toBe(false);
    expect(agendaChanged(agenda, renameStep(agenda, 0, 'Welcome '))).toBe(false);
    expect(agendaChanged(agenda, renameStep(agenda, 0, 'Hello'))).toBe(true);
    expect(agendaChanged(agenda, moveStep(agenda, 0, 1))).toBe(true);
    expect(agendaChanged(agenda, [...agenda, { key: 'lunch', title: 'Lunch' }])).toBe(true);
  });

  it('gives a new step a fresh section key, from its title when it is ASCII', () => {
    expect(newStepKey(agenda, 'Lunch & networking')).toBe('lunch-networking');
    expect(newStepKey([...agenda, { key: 'lunch' }], 'Lunch')).toBe('lunch-5');
    expect(newStepKey(agenda, 'استراحة')).toBe('step-4');
    expect(newStepKey([{ key: 'step-2' }], 'Διάλειμμα')).toBe('step-3');
    expect(newStepKey(agenda, '2 minutes of silence')).toBe('step-4');
    expect(newStepKey(agenda, 'x'.repeat(80))).toHaveLength(32);
  });
});
