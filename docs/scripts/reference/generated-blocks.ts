/**
 * Finds `<!-- BEGIN GENERATED: name -->` … `<!-- END GENERATED: name -->`
 * blocks in a Markdown text and replaces what is between the markers.
 */

const BLOCK = /<!-- BEGIN GENERATED: ([\w-]+) -->\n[\s\S]*?<!-- END GENERATED: \1 -->/g;

/** The names of the generated blocks a text holds, in order. */
export function generatedBlockNames(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((match) => match[1]!);
}

/**
 * Replaces the body of every generated block with `render(name)`. Throws
 * when the text holds a block no renderer knows, or lacks one it should
 * hold, so a renamed marker cannot quietly freeze a table.
 */
export function fillGeneratedBlocks(
  markdown: string,
  renderers: Readonly<Record<string, () => string>>,
  notice: string,
): string {
  const found = generatedBlockNames(markdown);
  const unknown = found.filter((name) => !Object.hasOwn(renderers, name));
  if (unknown.length) throw new Error(`no generator for the block(s) ${unknown.join(', ')}`);
  const missing = Object.keys(renderers).filter((name) => !found.includes(name));
  if (missing.length) throw new Error(`the markers of ${missing.join(', ')} are missing`);
  return markdown.replace(BLOCK, (_whole, name: string) =>
    [
      `<!-- BEGIN GENERATED: ${name} -->`,
      `<!-- ${notice} -->`,
      '',
      renderers[name]!().trimEnd(),
      '',
      `<!-- END GENERATED: ${name} -->`,
    ].join('\n'),
  );
}
