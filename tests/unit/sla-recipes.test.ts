/** Every catalog SLA has a measurement recipe (or a written reason for none), and each recipe cites its sources. */
import { describe, expect, it } from 'vitest';
import { listSlaIds, getSla } from '../../src/sla/index.ts';
import { RECIPES, recipeFor, recipeMetrics } from '../../src/sla/recipes.ts';

describe('measurement recipes', () => {
  it('has one recipe per catalog id and none for ids the catalog does not have', () => {
    expect(listSlaIds()).toHaveLength(24);
    for (const id of listSlaIds()) expect(recipeFor(id), id).toBeDefined();
    expect(Object.keys(RECIPES).sort()).toEqual([...listSlaIds()].sort());
    expect(recipeFor('no-such-sla')).toBeUndefined();
  });

  it('every measured recipe cites at least one source (URL + sentence); every none gives a reason', () => {
    for (const [id, recipe] of Object.entries(RECIPES)) {
      for (const s of recipe.sources) {
        expect(s.url, id).toMatch(/^https:\/\//);
        expect(s.quote.length, id).toBeGreaterThan(20);
      }
      if (recipe.kind === 'none') expect(recipe.reason.length, id).toBeGreaterThan(40);
      else {
        expect(recipe.sources.length, id).toBeGreaterThanOrEqual(1);
        expect(recipe.caveats.length, id).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("matches each SLA's measurement: error-rate for 5-minute error rates, unavailable for minutes, none for days", () => {
    for (const id of listSlaIds()) {
      const recipe = recipeFor(id)!;
      const sla = getSla(id)!;
      if (recipe.kind === 'error-rate') expect(sla.measurement, id).toBe('error-rate-5min');
      if (recipe.kind === 'unavailable') expect(sla.measurement, id).toBe('minutes-unavailable');
      if (sla.measurement === 'days-of-charges') expect(recipe.kind, id).toBe('none');
    }
  });

  it('resource-level measured recipes say what a fleet claim (several resources) measures: a lower bound, exact for one', () => {
    const resourceLevel = listSlaIds().filter((id) => getSla(id)!.scope === 'resource' && recipeFor(id)!.kind !== 'none');
    expect(resourceLevel.sort()).toEqual(['ebs-volume', 'ec2-instance']);
    for (const id of resourceLevel) {
      const recipe = recipeFor(id)!;
      if (recipe.kind === 'none') throw new Error(id);
      expect(recipe.caveats, id).toContain(
        "For a claim of several resources a minute counts only when every one reporting was Unavailable: a lower bound of each resource's own downtime. One-resource claims are exact.",
      );
    }
  });

  it('names the metrics as the claim basis shows them', () => {
    expect(recipeMetrics(recipeFor('dynamodb')!)).toEqual(['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)']);
    expect(recipeMetrics(recipeFor('ec2-instance')!)).toEqual(['AWS/EC2 StatusCheckFailed_System (Maximum)']);
    expect(recipeMetrics(recipeFor('lambda')!)).toEqual([]);
  });
});
