/**
 * Checks a `curl` command against the server's route table (facts/http-routes.json): the method
 * (from -X/--request, else -I, -T, -G, the data options, else GET) and the path of each URL, with
 * `{{PLACEHOLDERS}}` and shell expansions in it matching any one path segment.
 */
import type { Method, Route, RouteFacts } from '../facts/http-routes';
import { permalink, type Pin } from '../facts/pin';
import { editDistance } from './suggest';
import { display, literal, literalPrefix, type Word } from './shell-words';
import { dropPrefix } from './cli-invocation';

/** curl options that take a value (long names, and the short letters that do). */
const VALUE_OPTIONS = new Set([
  'request', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'data-ascii', 'json', 'form', 'form-string', 'header',
  'output', 'write-out', 'user', 'user-agent', 'referer', 'cookie', 'cookie-jar', 'upload-file', 'max-time',
  'connect-timeout', 'retry', 'retry-delay', 'retry-max-time', 'cacert', 'capath', 'cert', 'cert-type', 'key', 'key-type',
  'resolve', 'connect-to', 'url', 'proxy', 'config', 'limit-rate', 'range', 'continue-at', 'oauth2-bearer', 'unix-socket',
  'max-redirs', 'output-dir', 'dump-header', 'stderr', 'trace', 'trace-ascii', 'interface', 'proto', 'proto-redir',
  'expect100-timeout', 'proxy-user', 'tls-max', 'ciphers', 'speed-limit', 'speed-time', 'max-filesize', 'pinnedpubkey',
  'variable', 'expand-url', 'aws-sigv4', 'noproxy', 'local-port', 'dns-servers', 'happy-eyeballs-timeout-ms',
]);
const FLAG_OPTIONS = new Set([
  'fail', 'fail-with-body', 'silent', 'show-error', 'location', 'location-trusted', 'insecure', 'verbose', 'include', 'head',
  'get', 'remote-name', 'remote-name-all', 'remote-header-name', 'no-buffer', 'progress-bar', 'compressed', 'globoff',
  'disable', 'http1.0', 'http1.1', 'http2', 'http2-prior-knowledge', 'http3', 'ipv4', 'ipv6', 'no-progress-meter',
  'list-only', 'netrc', 'remote-time', 'ssl-reqd', 'retry-all-errors', 'retry-connrefused', 'path-as-is', 'raw',
  'tcp-nodelay', 'no-keepalive', 'create-dirs', 'fail-early', 'parallel', 'show-headers', 'no-clobber', 'tlsv1.2', 'tlsv1.3',
]);
const SHORT_WITH_VALUE = 'XdFHowuAebcTmKrCxyYzEUDtQ';
const SHORT_FLAGS = 'fsSLkviIGOJNg#qZ0146lnRjp';
const DATA_OPTIONS = new Set(['data', 'data-raw', 'data-binary', 'data-urlencode', 'data-ascii', 'json', 'form', 'form-string']);
const SHORT_LONG: Record<string, string> = { X: 'request', d: 'data', F: 'form', I: 'head', G: 'get', T: 'upload-file' };

/** Hosts that stand for a SpacetimeDB server when written literally. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '[::1]', '::1']);
/** The install script's host: a curl to it fetches the installer, not the API. */
export const INSTALLER_HOST = 'install.spacetimedb.com';

export type CurlCheck =
  | { kind: 'route'; what: string; errors: string[] }
  | { kind: 'installer' }
  | { kind: 'unchecked'; reason: string };

/** One segment of a requested path: literal text, or anything (a placeholder or expansion is in it). */
type Segment = { literal: string } | { any: string };

interface Request {
  method: Method;
  urls: Word[];
}

export function checkCurl(args: readonly Word[], facts: RouteFacts, pin: Pin): CurlCheck {
  const request = readRequest(args);
  if ('reason' in request) return { kind: 'unchecked', reason: request.reason };
  if (request.urls.length === 0) return { kind: 'unchecked', reason: 'curl with no URL' };
  const errors: string[] = [];
  const whats: string[] = [];
  for (const url of request.urls) {
    const target = readUrl(url);
    if (target.kind === 'installer') return { kind: 'installer' };
    if (target.kind === 'external') return { kind: 'unchecked', reason: `curl to ${target.host}, which is not a SpacetimeDB server` };
    if (target.kind === 'dynamic') return { kind: 'unchecked', reason: `the URL ${display(url)} is built at run time` };
    const shown = `${request.method} ${target.shown}`;
    whats.push(shown);
    const error = matchRoute(request.method, target.segments, shown, facts, pin);
    if (error) errors.push(error);
  }
  return { kind: 'route', what: whats.join(', '), errors };
}

/** The method and URLs of a curl command line, or why they cannot be known. */
function readRequest(args: readonly Word[]): Request | { reason: string } {
  let explicit: string | undefined;
  let implied: Method = 'GET';
  let get = false;
  let data = false;
  const urls: Word[] = [];
  const use = (name: string, value: Word | undefined): string | undefined => {
    if (name === 'request') {
      const text = value ? literal(value) : null;
      if (text === null) return `the method in ${value ? display(value) : '-X'} is not written literally`;
      explicit = text.toUpperCase();
    } else if (name === 'head') implied = 'HEAD';
    else if (name === 'upload-file') implied = 'PUT';
    else if (name === 'get') get = true;
    else if (name === 'url' && value) urls.push(value);
    else if (DATA_OPTIONS.has(name)) data = true;
    return undefined;
  };
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i]!;
    const prefix = literalPrefix(word);
    if (prefix === '--') {
      urls.push(...args.slice(i + 1));
      break;
    }
    if (prefix.startsWith('--')) {
      const text = literal(word);
      const equals = prefix.indexOf('=');
      const name = equals === -1 ? (text ?? prefix).slice(2) : prefix.slice(2, equals);
      if (VALUE_OPTIONS.has(name)) {
        const value = equals === -1 ? args[i + 1] : dropPrefix(word, equals + 1);
        if (equals === -1) i += 1;
        const problem = use(name, value);
        if (problem) return { reason: problem };
      } else if (FLAG_OPTIONS.has(name) || (name.startsWith('no-') && FLAG_OPTIONS.has(name.slice(3)))) {
        use(name, undefined);
      } else return { reason: `curl option --${name} is not in the checker's list of curl options (scripts/check-commands/http-request.ts)` };
      continue;
    }
    if (prefix.startsWith('-') && prefix.length > 1) {
      for (let j = 1; j < prefix.length; j += 1) {
        const char = prefix[j]!;
        if (SHORT_WITH_VALUE.includes(char)) {
          const rest = dropPrefix(word, j + 1);
          const value: Word | undefined = rest.parts.length ? rest : args[i + 1];
          if (!rest.parts.length) i += 1;
          const problem = use(SHORT_LONG[char] ?? char, value);
          if (problem) return { reason: problem };
          break;
        }
        if (!SHORT_FLAGS.includes(char)) return { reason: `curl option -${char} is not in the checker's list of curl options (scripts/check-commands/http-request.ts)` };
        use(SHORT_LONG[char] ?? char, undefined);
      }
      continue;
    }
    urls.push(word);
  }
  const method = (explicit ?? (get ? 'GET' : data ? 'POST' : implied)) as Method;
  return { method, urls };
}

type Target =
  | { kind: 'server'; segments: Segment[]; shown: string }
  | { kind: 'installer' }
  | { kind: 'external'; host: string }
  | { kind: 'dynamic' };

/** Splits a URL word into its host and the path segments, keeping placeholders as wildcards. */
function readUrl(url: Word): Target {
  let parts = url.parts;
  let host: string | null = null;
  let hostIsVariable = false;
  const first = parts[0];
  if (!first) return { kind: 'dynamic' };
  if (first.kind !== 'text') {
    // `{{SERVER_URL}}/v1/...` or `"$url"/v1/...`: the base is a server URL held in a variable.
    hostIsVariable = true;
    parts = parts.slice(1);
  } else {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(first.text);
    // The authority runs to the first '/' after the scheme, across placeholders.
    let authority = '';
    let offset = scheme ? scheme[0].length : 0;
    let path: Word['parts'] = [];
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index]!;
      if (part.kind !== 'text') {
        hostIsVariable = true;
        authority += part.kind === 'placeholder' ? `{{${part.name}}}` : part.text;
        offset = 0;
        continue;
      }
      const slash = part.text.indexOf('/', offset);
      if (slash === -1) {
        authority += part.text.slice(offset);
        offset = 0;
        continue;
      }
      authority += part.text.slice(offset, slash);
      path = [{ kind: 'text', text: part.text.slice(slash) }, ...parts.slice(index + 1)];
      break;
    }
    parts = path;
    host = authority.replace(/:\d+$/, '').replace(/^[^@]*@/, '');
  }
  if (hostIsVariable && host === null && parts.length === 0) return { kind: 'dynamic' };
  const segments = splitPath(parts);
  const shown = segments.length ? segments.map((segment) => ('literal' in segment ? segment.literal : segment.any)).join('/') : '/';
  const path = shown.startsWith('/') ? shown : `/${shown}`;
  const apiPath = /^\/(v1|internal)(\/|$)/.test(path);
  if (host !== null && !hostIsVariable) {
    if (host === INSTALLER_HOST) return { kind: 'installer' };
    if (!LOCAL_HOSTS.has(host) && !apiPath) return { kind: 'external', host };
  }
  return { kind: 'server', segments, shown: path };
}

/** Path parts → segments, dropping the query and fragment; the leading '/' gives an empty first segment. */
function splitPath(parts: Word['parts']): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { literal: '' };
  let done = false;
  for (const part of parts) {
    if (done) break;
    if (part.kind !== 'text') {
      const shown = part.kind === 'placeholder' ? `{{${part.name}}}` : part.text;
      current = { any: ('literal' in current ? current.literal : current.any) + shown };
      continue;
    }
    let text = part.text;
    const end = text.search(/[?#]/);
    if (end !== -1) {
      text = text.slice(0, end);
      done = true;
    }
    const pieces = text.split('/');
    pieces.forEach((piece, index) => {
      if (index > 0) {
        segments.push(current);
        current = { literal: '' };
      }
      current = 'literal' in current ? { literal: current.literal + piece } : { any: current.any + piece };
    });
  }
  segments.push(current);
  // A path starts with '/': drop the empty segment before it.
  if (segments.length && 'literal' in segments[0]! && segments[0].literal === '') segments.shift();
  return segments;
}

function routeMatches(route: Route, segments: Segment[]): boolean {
  const pattern = route.path.split('/').slice(1);
  for (let index = 0; index < pattern.length; index += 1) {
    const piece = pattern[index]!;
    if (piece.startsWith('*')) return segments.length > index;
    const segment = segments[index];
    if (!segment) return false;
    if ('any' in segment) continue;
    if (piece.startsWith(':')) {
      if (segment.literal === '') return false;
      continue;
    }
    if (piece !== segment.literal) return false;
  }
  return segments.length === pattern.length;
}

function methodAllows(route: Route, method: Method): boolean {
  return route.method === 'ANY' || route.method === method || (method === 'HEAD' && route.method === 'GET');
}

/** An error message when no route answers the request, else null. */
function matchRoute(method: Method, segments: Segment[], shown: string, facts: RouteFacts, pin: Pin): string | null {
  const byPath = facts.routes.filter((route) => routeMatches(route, segments));
  if (byPath.some((route) => methodAllows(route, method))) return null;
  if (byPath.length) {
    const methods = [...new Set(byPath.map((route) => route.method))].join(', ');
    return `${shown}: the server answers this path with ${methods} only (${permalink(pin, byPath[0]!.source)})`;
  }
  const normalised = `/${segments.map((segment) => ('any' in segment ? ':' : segment.literal)).join('/')}`;
  let best = facts.routes[0]!;
  let bestDistance = Infinity;
  for (const route of facts.routes) {
    const candidate = route.path.replace(/[:*][a-z_]+/g, ':');
    const distance = editDistance(normalised, candidate) + (methodAllows(route, method) ? 0 : 1);
    if (distance < bestDistance) {
      best = route;
      bestDistance = distance;
    }
  }
  return `${shown}: no such route on a SpacetimeDB server; nearest: ${best.method} ${best.path} (${permalink(pin, best.source)})`;
}
