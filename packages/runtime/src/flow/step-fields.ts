import { z } from 'zod';

// Spelled out rather than with the `i` flag: JSON Schema patterns have no flags.
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const stepIdSchema = z
  .string()
  .regex(ID, { error: 'must start with a letter or digit and hold only letters, digits, "-" and "_"' })
  .meta({ description: 'Unique within the flow; later steps read `steps.<id>.output`.' });

/** An expression in `{{ }}`, or a literal. */
export const conditionSchema = z.union([z.string(), z.boolean()]);

const stepCondition = conditionSchema.meta({
  description:
    'A condition, usually one `{{ expression }}`; the step runs when it is truthy, and is skipped otherwise.',
});

/** The fields every kind of step has. */
export const commonStepFields = {
  id: stepIdSchema,
  description: z
    .string()
    .optional()
    .meta({ description: 'What the step does, shown in the dashboard and the graph.' }),
  needs: z.array(stepIdSchema).optional().meta({
    description: 'Steps that must end first. Without it a step needs the step before it; [] runs at once.',
  }),
  if: stepCondition.optional(),
};
