import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { RouteConfigEntries } from './route-config';

function configOf(type: { prototype: object }, method: string): unknown {
  const handler = Object.getOwnPropertyDescriptor(type.prototype, method)?.value as object;
  return Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler);
}

describe('RouteConfigEntries', () => {
  it('merges the entries of several decorators on one handler', () => {
    class Controller {
      @RouteConfigEntries({ resourceHeaders: 'version' })
      @RouteConfigEntries({ rateLimit: { max: 5 } })
      handler(): void {}
    }
    expect(configOf(Controller, 'handler')).toEqual({
      resourceHeaders: 'version',
      rateLimit: { max: 5 },
    });
  });

  it('lets the outer decorator win for the same entry, and leaves other handlers alone', () => {
    class Controller {
      @RouteConfigEntries({ mark: 'outer' })
      @RouteConfigEntries({ mark: 'inner' })
      handler(): void {}

      other(): void {}
    }
    expect(configOf(Controller, 'handler')).toEqual({
      mark: 'outer',
    });
    expect(configOf(Controller, 'other')).toBeUndefined();
  });
});
