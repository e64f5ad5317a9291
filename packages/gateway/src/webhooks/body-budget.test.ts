import { describe, expect, it } from 'vitest';
import { BodyBudget } from './body-budget';

describe('BodyBudget', () => {
  it('counts a body only past its uncounted first bytes', () => {
    const budget = new BodyBudget(100, 10);
    expect(budget.grow(0, 10)).toBe(0);
    expect(budget.inUse).toBe(0);
    expect(budget.grow(0, 30)).toBe(20);
    expect(budget.grow(20, 50)).toBe(40);
    expect(budget.inUse).toBe(40);
  });

  it('refuses growth past the limit, counting nothing more, and takes it back once released', () => {
    const budget = new BodyBudget(100, 10);
    const first = budget.grow(0, 90); // 80 counted
    expect(budget.grow(0, 40)).toBe(-1);
    expect(budget.inUse).toBe(80);
    expect(budget.grow(0, 30)).toBe(20); // exactly at the limit
    budget.release(first);
    expect(budget.inUse).toBe(20);
    expect(budget.grow(0, 90)).toBe(80);
  });
});
