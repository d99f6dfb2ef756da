import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createGzip } from 'node:zlib';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.sh': 'text/x-shellscript',
  '.mjs': 'text/javascript; charset=utf-8',
};
const compressible = new Set(['.html', '.js', '.css', '.json', '.svg', '.xml', '.sh', '.mjs']);

/**
 * Serves a production build the way a real host does: gzip for text, long caching for hashed
 * assets, and Docusaurus' clean URLs (`/docs/page` → `docs/page.html`). Benchmarks use it so
 * Lighthouse measures the site, not a development server that sends everything uncompressed.
 */
export function serveBuild(buildDir: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const candidates = [join(buildDir, path), join(buildDir, `${path}.html`), join(buildDir, path, 'index.html')];
    const file = candidates.find((candidate) => candidate.startsWith(buildDir) && existsSync(candidate) && statSync(candidate).isFile());
    const target = file ?? join(buildDir, '404.html');
    const extension = extname(target);
    const headers: Record<string, string> = { 'content-type': types[extension] ?? 'application/octet-stream' };
    if (path.startsWith('/assets/')) headers['cache-control'] = 'public, max-age=31536000, immutable';
    const gzip = compressible.has(extension) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (gzip) headers['content-encoding'] = 'gzip';
    response.writeHead(file ? 200 : 404, headers);
    const stream = createReadStream(target);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
