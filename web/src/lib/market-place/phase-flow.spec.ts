import { describe, expect, it } from 'vitest';
import { isPitchPhase, nextStep, sessionStage } from './phase-flow.js';

describe('the facilitator’s next step', () => {
  it('walks lobby → each pitch and its feedback → vote → wrap-up → closed', () => {
    const steps = [];
    let at: Parameters<typeof nextStep>[0] = { phase: 'lobby', pitchIndex: null };
    for (let step = nextStep(at, 2); step; step = nextStep(at, 2)) {
      steps.push(`${step.phase}${step.pitchIndex ?? ''}`);
      at = step;
    }
    expect(steps).toEqual([
      'pitch0',
      'feedback0',
      'pitch1',
      'feedback1',
      'vote',
      'wrap-up',
      'closed',
    ]);
  });

  it('goes straight to the vote when there is nothing to pitch', () => {
    expect(nextStep({ phase: 'lobby', pitchIndex: null }, 0)).toEqual({
      phase: 'vote',
      pitchIndex: null,
    });
  });

  it('knows which phases are about one pitch and which stage a phase belongs to', () => {
    expect(isPitchPhase('pitch')).toBe(true);
    expect(isPitchPhase('vote')).toBe(false);
    expect(sessionStage('lobby')).toBe('before');
    expect(sessionStage('feedback')).toBe('live');
    expect(sessionStage('closed')).toBe('after');
  });
});
