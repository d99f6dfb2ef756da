// How to call pnpm from a script that pnpm started. Inside `pnpm run`, npm_execpath names the
// running pnpm, which also works when pnpm itself is not on PATH (e.g. when started through npx).
export function pnpmCommand(...args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return /\.c?js$/.test(execPath) ? [process.execPath, execPath, ...args] : [execPath, ...args];
  }
  return ['pnpm', ...args];
}
