/** The text of what `cairn git install` writes: committed driver files and the hook scripts. */

export const HOOK_MARK = '# cairn-hook';
export const HOOKS = ['post-merge', 'post-rewrite', 'post-checkout'] as const;
export type HookName = (typeof HOOKS)[number];
/** Suffix a hook that was there before gets; ours runs it first, uninstall puts it back. */
export const CHAINED_SUFFIX = '.pre-cairn';

export const GITCONFIG = `# Written by \`cairn git install\` and included from .git/config (include.path), per clone:
# no global git config is touched. \`cairn git uninstall\` removes it.
[merge "cairn"]
\tname = cairn: planning views merged from their facts
\tdriver = sh .cairn/merge-driver.sh %O %A %B %P
`;

export const MERGE_DRIVER_SH = `#!/bin/sh
# The cairn merge driver for STATE.md and ROADMAP.md (see .gitattributes): git passes
# %O %A %B %P. Where cairn is not installed this falls back to git's own three-way merge,
# which leaves conflict markers as a merge without the driver would.
cairn_bin=\${CAIRN_BIN:-cairn}
if command -v "$cairn_bin" >/dev/null 2>&1; then
  exec "$cairn_bin" merge-driver "$1" "$2" "$3" "$4"
fi
exec git merge-file -L ours -L base -L theirs "$2" "$1" "$3"
`;

/**
 * post-checkout also runs inside a rebase (and for single-file checkouts): changing files there
 * would stop the next step, so it syncs only after a branch checkout of its own. The end of a
 * rebase runs post-rewrite, the end of a merge post-merge, and those always sync.
 */
const CHECKOUT_GUARD = `# A checkout of single files (flag 0) moves no branch.
[ "$3" = "0" ] && exit $hook_status
for state in rebase-merge rebase-apply MERGE_HEAD CHERRY_PICK_HEAD REVERT_HEAD; do
  [ -e "$(git rev-parse --git-path "$state")" ] && exit $hook_status
done
`;

/** A hook that runs the hook it replaced (if any), then re-renders the views with `cairn sync`. */
export function hookScript(name: HookName, projectDir: string): string {
  const dir = shQuote(projectDir);
  return `#!/bin/sh
${HOOK_MARK}: after git changed the planning files, re-render their views (cairn sync).
# Written by \`cairn git install\`; \`cairn git uninstall\` removes it and restores the hook it chained.
hook_status=0
chained="$(dirname "$0")/${name}${CHAINED_SUFFIX}"
if [ -f "$chained" ]; then
  "$chained" "$@" || hook_status=$?
fi
${name === 'post-checkout' ? CHECKOUT_GUARD : ''}cairn_bin=\${CAIRN_BIN:-cairn}
if command -v "$cairn_bin" >/dev/null 2>&1; then
  "$cairn_bin" sync --quiet ${dir} || echo "cairn: the ${name} hook could not re-render the planning views; run \\\`cairn sync ${projectDir}\\\`" >&2
fi
exit $hook_status
`;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, () => "'\\''")}'`;
}
