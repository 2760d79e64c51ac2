/**
 * The routes a Fastify app has, as full paths (/api/v1/papers/date/:day), read from the tree
 * printRoutes() draws: each line's depth is its indentation, its path the concatenation of its
 * ancestors' segments. Fastify has no other public way to list its routes after the fact.
 */
import type { FastifyInstance } from 'fastify';

export function routeTable(app: FastifyInstance, method: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ method }).split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]?.split(', ').includes(method)) routes.push(stack.join(''));
  }
  return routes;
}
