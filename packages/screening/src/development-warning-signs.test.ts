import { describe, expect, it } from 'vitest';
import { developmentWarnings, developmentWarningSigns, milestonesToAsk } from './development-warning-signs';

const ids = (signs: { id: string }[]) => signs.map((s) => s.id);

describe('development warning signs (Decision 2254/QĐ-BYT)', () => {
  it('are the six milestones of the guidance and the loss of skills, with both languages', () => {
    expect(developmentWarningSigns.signs.map((s) => [s.observation, s.byAgeMonths])).toEqual([
      ['social-smile', 6],
      ['back-and-forth-sounds-smiles', 9],
      ['babbling', 12],
      ['pointing-gestures', 12],
      ['single-words', 16],
      ['two-word-phrases', 24],
      ['loss-of-language-or-social-skills', undefined],
    ]);
    for (const sign of developmentWarningSigns.signs) {
      expect(sign.textVi.length).toBeGreaterThan(10);
      expect(sign.questionVi.length).toBeGreaterThan(10);
    }
    expect([developmentWarningSigns.fromAgeMonths, developmentWarningSigns.toAgeMonths]).toEqual([0, 72]);
  });

  it('trigger a milestone not observed at or after its age, not before', () => {
    expect(developmentWarnings({ ageMonths: 5, observations: { 'social-smile': false } })).toEqual([]);
    expect(ids(developmentWarnings({ ageMonths: 6, observations: { 'social-smile': false } }))).toEqual([
      'no-smile-6m',
    ]);
    expect(developmentWarnings({ ageMonths: 6, observations: { 'social-smile': true } })).toEqual([]);
    expect(
      ids(
        developmentWarnings({
          ageMonths: 13,
          observations: { 'social-smile': true, babbling: false, 'pointing-gestures': false, 'single-words': false },
        }),
      ),
    ).toEqual(['no-babbling-12m', 'no-gestures-12m']);
    expect(ids(developmentWarnings({ ageMonths: 24, observations: { 'two-word-phrases': false } }))).toEqual([
      'no-phrases-24m',
    ]);
  });

  it('trigger nothing for a question not asked', () => {
    expect(developmentWarnings({ ageMonths: 30, observations: {} })).toEqual([]);
  });

  it('trigger the loss of skills at any age, and nothing after 72 months', () => {
    const loss = { 'loss-of-language-or-social-skills': true };
    expect(ids(developmentWarnings({ ageMonths: 3, observations: loss }))).toEqual(['loss-of-skills']);
    expect(ids(developmentWarnings({ ageMonths: 72, observations: loss }))).toEqual(['loss-of-skills']);
    expect(developmentWarnings({ ageMonths: 73, observations: { ...loss, 'single-words': false } })).toEqual([]);
    expect(
      developmentWarnings({ ageMonths: 40, observations: { 'loss-of-language-or-social-skills': false } }),
    ).toEqual([]);
  });

  it('list the questions to ask at an age', () => {
    expect(ids(milestonesToAsk(0))).toEqual(['loss-of-skills']);
    expect(ids(milestonesToAsk(12))).toEqual([
      'no-smile-6m',
      'no-back-and-forth-9m',
      'no-babbling-12m',
      'no-gestures-12m',
      'loss-of-skills',
    ]);
    expect(milestonesToAsk(80)).toEqual([]);
    expect(() => milestonesToAsk(-1)).toThrow(RangeError);
  });
});
