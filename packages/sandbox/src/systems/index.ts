import type { SandboxSystem } from '../system';

/** Every emulated system, in the order the sandbox lists them. */
export const systems: SandboxSystem[] = [];
