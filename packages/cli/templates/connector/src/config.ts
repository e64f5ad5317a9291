import { z } from 'zod';

/**
 * The instance config users write in `baton.config.json`:
 *
 * ```json
 * "__NAME__": { "use": "__PACKAGE__", "config": { "apiKey": { "$env": "__ENV__" } } }
 * ```
 */
export const config = z.object({
  /** Where the API lives. Point it at a local server in tests. */
  baseUrl: z.string().url().default('https://api.example.com'),
  /** Sent as a bearer token. Read it from the environment with `{ "$env": "…" }`. */
  apiKey: z.string().min(1),
});

export type Config = z.output<typeof config>;
