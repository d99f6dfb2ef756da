/**
 * facts/http-routes.json: the routes a standalone SpacetimeDB server answers at the pinned release
 * (method and path pattern), read and checked here.
 */
import { SOURCE_REFERENCE } from './pin';
import { readFactsJson } from './read-json';

export const ROUTES_FILE = 'facts/http-routes.json';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'ANY'] as const;
export type Method = (typeof METHODS)[number];

export interface Route {
  method: Method;
  /** `/v1/identity/:identity/verify`: `:name` is one segment, `*name` the rest of the path. */
  path: string;
  source: string;
}

export interface RouteFacts {
  routes: Route[];
  /** Prefixes under which routers are mounted, e.g. `/v1/identity`. */
  mounts: { prefix: string; source: string }[];
}

export function readRoutes(siteDir: string): RouteFacts {
  const data = readFactsJson(siteDir, ROUTES_FILE, 'it');
  return parseRoutes(data);
}

export function parseRoutes(data: unknown): RouteFacts {
  const fail = (message: string): never => {
    throw new Error(`${ROUTES_FILE}: ${message}`);
  };
  const root = data as { routes?: unknown; mounts?: unknown };
  if (typeof data !== 'object' || data === null || !Array.isArray(root.routes)) return fail('needs a "routes" array');
  const routes = root.routes.map((value, index): Route => {
    const route = value as Partial<Route>;
    if (!METHODS.includes(route.method as Method)) fail(`routes[${index}].method must be one of ${METHODS.join(', ')}`);
    if (typeof route.path !== 'string' || !route.path.startsWith('/')) fail(`routes[${index}].path must start with /`);
    if (typeof route.source !== 'string' || !SOURCE_REFERENCE.test(route.source)) fail(`routes[${index}].source must be crates/<path>#L<a> or #L<a>-L<b>`);
    return { method: route.method as Method, path: route.path as string, source: route.source as string };
  });
  const mounts = Array.isArray(root.mounts)
    ? root.mounts.map((value, index) => {
        const mount = value as { prefix?: unknown; source?: unknown };
        if (typeof mount.prefix !== 'string' || typeof mount.source !== 'string' || !SOURCE_REFERENCE.test(mount.source)) {
          fail(`mounts[${index}] needs a "prefix" and a "source" (crates/<path>#L<a>-L<b>)`);
        }
        return { prefix: mount.prefix as string, source: mount.source as string };
      })
    : [];
  return { routes, mounts };
}
