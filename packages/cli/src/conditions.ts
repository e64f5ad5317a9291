/**
 * The export conditions this Node process was started with
 * (`--conditions=x`, `-C x`, also through NODE_OPTIONS), so connector
 * packages resolve the same way the CLI itself did.
 */
export function nodeConditions(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): string[] {
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--conditions=')) out.push(arg.slice('--conditions='.length));
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) out.push(args[++i]!);
  }
  return out;
}
