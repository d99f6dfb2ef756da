/**
 * What the checker knows about programs other than SpacetimeDB's: general-purpose tools it
 * recognises without checking their arguments, programs it cannot check (no facts about them), and
 * the options of the wrappers it looks through (sudo, env, ssh, docker exec, ...).
 */

/**
 * Shell built-ins and general-purpose tools. They do not talk to SpacetimeDB, so there is nothing in
 * facts/ to check their arguments against: a command running one is recognised, not validated.
 */
export const GENERAL_TOOLS: ReadonlySet<string> = new Set([
  // built-ins
  ':', '.', '[', '[[', 'break', 'cd', 'continue', 'echo', 'eval', 'exit', 'export', 'false', 'kill', 'local', 'printf', 'pwd',
  'read', 'return', 'set', 'shift', 'source', 'test', 'trap', 'true', 'umask', 'unset', 'wait', 'sleep',
  // files and text
  'awk', 'base64', 'basename', 'cat', 'chmod', 'chown', 'cmp', 'cp', 'cut', 'date', 'df', 'diff', 'dirname', 'du', 'find',
  'grep', 'head', 'hostname', 'id', 'install', 'ln', 'ls', 'mkdir', 'mktemp', 'mv', 'od', 'printenv', 'readlink', 'realpath',
  'rm', 'rmdir', 'sed', 'seq', 'sha256sum', 'sort', 'stat', 'tail', 'tar', 'tee', 'touch', 'tr', 'uname', 'uniq', 'wc',
  'whoami', 'xxd', 'jq', 'ssh-keygen',
  // keys and copies (run for real by the doc tests in other steps)
  'openssl', 'rsync', 'scp',
]);

/** Programs the checker has no facts about, with what they are (the step stays unchecked). */
export const UNDESCRIBED: Readonly<Record<string, string>> = {
  docker: 'a container runtime command',
  'docker-compose': 'a container runtime command',
  podman: 'a container runtime command',
  systemctl: 'a systemd command',
  journalctl: 'a systemd command',
  az: 'an Azure CLI command',
  aws: 'an AWS CLI command',
  gcloud: 'a Google Cloud CLI command',
  kubectl: 'a Kubernetes command',
  caddy: 'a web server command',
  'apt-get': 'a package manager command',
  apt: 'a package manager command',
};

/** Long options that take a value, and short letters that do, for each wrapper. */
export interface OptionTable {
  long: ReadonlySet<string>;
  short: string;
}

export const SUDO_OPTIONS: OptionTable = {
  long: new Set(['user', 'group', 'host', 'prompt', 'role', 'type', 'other-user', 'close-from', 'chdir', 'chroot', 'command-timeout']),
  short: 'ughpCrtUDRT',
};

export const ENV_OPTIONS: OptionTable = { long: new Set(['unset', 'chdir', 'split-string']), short: 'uCS' };

export const SSH_OPTIONS: OptionTable = { long: new Set(), short: 'BbcDEeFIiJLlmOopQRSWw' };

export const TIMEOUT_OPTIONS: OptionTable = { long: new Set(['signal', 'kill-after']), short: 'sk' };

export const NICE_OPTIONS: OptionTable = { long: new Set(['adjustment']), short: 'n' };

/** `docker` options before its subcommand. */
export const DOCKER_GLOBAL_OPTIONS: OptionTable = { long: new Set(['context', 'host', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey']), short: 'cHl' };

/** `docker compose` options before its subcommand. */
export const COMPOSE_GLOBAL_OPTIONS: OptionTable = {
  long: new Set(['file', 'project-name', 'project-directory', 'env-file', 'profile', 'ansi', 'progress', 'parallel']),
  short: 'fp',
};

/** `docker exec` / `docker compose exec`. */
export const EXEC_OPTIONS: OptionTable = { long: new Set(['user', 'env', 'env-file', 'workdir', 'index', 'detach-keys']), short: 'uew' };

/** `docker compose run` / `docker run` (only what matters to find the command it runs). */
export const RUN_OPTIONS: OptionTable = {
  long: new Set([
    'entrypoint', 'env', 'env-file', 'user', 'volume', 'workdir', 'name', 'publish', 'label', 'cap-add', 'cap-drop', 'pull',
    'network', 'mount', 'platform', 'restart', 'memory', 'cpus', 'hostname', 'add-host', 'device', 'log-driver', 'log-opt',
  ]),
  short: 'euvwplm',
};
