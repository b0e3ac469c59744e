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

  it('offers nothing from the lobby until there is a pitch', () => {
    expect(nextStep({ phase: 'lobby', pitchIndex: null }, 0)).toBeNull();
  });

  it('knows which phases are about one pitch and which stage a phase belongs to', () => {
    expect(isPitchPhase('pitch')).toBe(true);
    expect(isPitchPhase('vote')).toBe(false);
    expect(sessionStage('lobby')).toBe('before');
    expect(sessionStage('feedback')).toBe('live');
    expect(sessionStage('closed')).toBe('after');
  });
});
