// The no-secrets rule for everything the tool prints: no private key, no whole token, no credentials
// inside a URL. Callers never pass secrets to the reporter; this is the last line of defence, applied
// to every line of output.

/** A URL as it may be shown: user name and password replaced. */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** A token shown without its signature and with the payload shortened: never print a whole token. */
function redactToken(token: string): string {
  const [h, p] = token.split('.');
  return `${(h ?? '').slice(0, 8)}….${(p ?? '').slice(0, 8)}….<signature hidden>`;
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

/** Text with any private key block, whole JWT or URL credentials replaced. */
export function scrubSecrets(text: string): string {
  return text
    .replace(PRIVATE_KEY_BLOCK, '[private key hidden]')
    .replace(JWT, (token) => redactToken(token))
    .replace(URL_CREDENTIALS, '$1***@');
}
