import 'reflect-metadata';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * Adds entries to a route's Fastify config (`request.routeOptions.config`). platform-fastify's
 * `@RouteConfig()` sets the whole object, so a second one on the same handler would silently drop
 * the first's entries (e.g. the resource-headers mark); this one merges, in any order.
 */
export function RouteConfigEntries(entries: Record<string, unknown>): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<
      string,
      unknown
    >;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...entries }, handler);
    return descriptor;
  };
}
