/** `cairn git install | uninstall` — starts the git shell (src/git/entry.ts), loaded only when it runs. */
export async function run(argv: string[]): Promise<number> {
  const { gitCommand } = await import('../../git/entry.ts');
  return gitCommand(argv);
}
