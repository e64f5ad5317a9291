import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from '../define';
import { connectorManifest } from '../manifest';
import { changeLocation, diffManifests, formatChange } from './diff-manifests';

/** Manifests are read, never run. */
const run = async (): Promise<never> => {
  throw new Error('not run');
};
const ticketInput = z.object({ subject: z.string(), email: z.email() });
const ticketOutput = z.object({ id: z.string(), url: z.url() });

/** Version 1 of a helpdesk connector, with parts replaced to make version 2. */
function helpdesk(
  parts: { config?: z.ZodObject; actions?: Record<string, ReturnType<typeof defineAction>> } = {},
) {
  return connectorManifest(
    defineConnector({
      name: 'acme-helpdesk',
      config: parts.config ?? z.object({ baseUrl: z.url().default('https://acme.test'), apiKey: z.string() }),
      actions: parts.actions ?? {
        'create-ticket': defineAction({ input: ticketInput, output: ticketOutput, run }),
        'close-ticket': defineAction({ input: z.object({ id: z.string() }), output: z.object({}), run }),
      },
    }),
  );
}

const closeTicket = defineAction({ input: z.object({ id: z.string() }), output: z.object({}), run });

describe('diffManifests', () => {
  it('finds nothing between two equal versions', () => {
    expect(diffManifests(helpdesk(), helpdesk())).toEqual({
      verdict: 'none',
      changes: [],
      counts: { breaking: 0, 'possibly-breaking': 0, additive: 0 },
    });
  });

  it('classifies config changes: a required field breaks hubs, an optional one does not, a removed one breaks', () => {
    const diff = diffManifests(
      helpdesk(),
      helpdesk({
        config: z.object({ apiKey: z.string(), region: z.string(), timeoutMs: z.number().optional() }),
      }),
    );
    expect(diff.changes.map(formatChange)).toEqual([
      'config.baseUrl: removed: hub configs that give it are refused (breaking)',
      'config.region: new required field: hub configs that do not give it are refused (breaking)',
      'config.timeoutMs: new optional field (additive)',
    ]);
    expect(diff.verdict).toBe('breaking');
  });

  it('lists an added action as additive, and the verdict is additive', () => {
    const diff = diffManifests(
      helpdesk(),
      helpdesk({
        actions: {
          'create-ticket': defineAction({ input: ticketInput, output: ticketOutput, run }),
          'close-ticket': closeTicket,
          'list-tickets': defineAction({
            input: z.object({}),
            output: z.object({ ids: z.array(z.string()) }),
            run,
          }),
        },
      }),
    );
    expect(diff.changes.map(formatChange)).toEqual(['list-tickets: new action (additive)']);
    expect(diff.verdict).toBe('additive');
    expect(diff.counts).toEqual({ breaking: 0, 'possibly-breaking': 0, additive: 1 });
  });

  it('lists a removed action as breaking, and a renamed one as removed and added, naming the likely new name', () => {
    const removed = diffManifests(
      helpdesk(),
      helpdesk({
        actions: { 'create-ticket': defineAction({ input: ticketInput, output: ticketOutput, run }) },
      }),
    );
    expect(removed.changes.map(formatChange)).toEqual([
      'close-ticket: action removed: flows that call it break (breaking)',
    ]);
    const renamed = diffManifests(
      helpdesk(),
      helpdesk({
        actions: {
          'open-ticket': defineAction({ input: ticketInput, output: ticketOutput, run }),
          'close-ticket': closeTicket,
        },
      }),
    );
    expect(renamed.changes.map(formatChange)).toEqual([
      'create-ticket: action removed (renamed to "open-ticket"? flows that call "create-ticket" break) (breaking)',
      'open-ticket: new action (additive)',
    ]);
    expect(renamed.verdict).toBe('breaking');
  });

  it("compares each action's input as accepted and its output as returned", () => {
    const diff = diffManifests(
      helpdesk(),
      helpdesk({
        actions: {
          'create-ticket': defineAction({
            input: ticketInput.extend({ priority: z.enum(['low', 'high']).optional() }),
            output: z.object({ id: z.string(), link: z.url() }),
            run,
          }),
          'close-ticket': closeTicket,
        },
      }),
    );
    expect(diff.changes.map((c) => [changeLocation(c), c.kind, c.severity])).toEqual([
      ['create-ticket input.priority', 'field-added', 'additive'],
      ['create-ticket output.url', 'field-removed', 'breaking'],
      ['create-ticket output.link', 'field-added', 'additive'],
    ]);
    expect(diff.changes[1]).toMatchObject({ part: 'output', action: 'create-ticket', path: ['url'] });
  });

  it('counts a change it cannot classify as breaking', () => {
    const before = helpdesk();
    const after = helpdesk();
    after.actions['close-ticket']!.input = {
      ...after.actions['close-ticket']!.input,
      not: { required: ['x'] },
    };
    const diff = diffManifests(before, after);
    expect(diff.changes.map(formatChange)).toEqual([
      'close-ticket input: not changed; its effect on callers is not classified (possibly-breaking)',
    ]);
    expect(diff.verdict).toBe('breaking');
  });
});
