/** `cairn merge-driver %O %A %B %P` — run by git; starts the git shell's driver (src/git/entry.ts). */
export async function run(argv: string[]): Promise<number> {
  const { mergeDriverCommand } = await import('../../git/entry.ts');
  return mergeDriverCommand(argv);
}
