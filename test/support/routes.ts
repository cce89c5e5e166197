import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { API_PREFIX, UNPREFIXED_ROUTES } from '../../src/app.setup';
import { PERMISSIONS_KEY, PUBLIC_KEY } from '../../src/auth/auth.decorators';
import type { Permission } from '../../src/auth/permissions';

export interface RouteAccess {
  method: string;
  path: string;
  public: boolean;
  permissions: Permission[];
}

function join(...parts: string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Every HTTP route the application registered, with what it declares about access. */
export function listRoutes(app: INestApplication): RouteAccess[] {
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteAccess[] = [];
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [
    ...module.controllers.values(),
  ]);
  for (const wrapper of controllers) {
    const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
    if (!controller || !wrapper.instance) {
      continue;
    }
    const controllerPath = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName] as (...args: unknown[]) => unknown;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (methodPath === undefined) {
        continue;
      }
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const bare = join(controllerPath, methodPath);
      const path = UNPREFIXED_ROUTES.includes(bare.slice(1)) ? bare : join(API_PREFIX, bare);
      const targets = [handler, controller];
      routes.push({
        method,
        path,
        public: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false,
        permissions: reflector.getAllAndOverride<Permission[]>(PERMISSIONS_KEY, targets) ?? [],
      });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
