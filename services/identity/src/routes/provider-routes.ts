import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
// Brings in the `schema.hide` option (routes kept out of the API docs).
import type {} from '@fastify/swagger';
import type Provider from 'oidc-provider';
import { providerRoutes } from '../openid-provider';

export interface ProviderRoutesOptions {
  provider: Provider;
}

/**
 * Hands the provider's own endpoints (discovery, authorization, token, JWKS, userinfo, logout,
 * introspection, revocation) to oidc-provider's request handler. It reads request bodies itself,
 * so in this scope Fastify leaves them unread; only these paths go to it, so every other path keeps
 * the service's health, metrics, docs and 404 behaviour.
 */
export const providerRoutesPlugin: FastifyPluginAsync<ProviderRoutesOptions> = async (fastify, { provider }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const handle = provider.callback();
  const paths = [
    '/.well-known/openid-configuration',
    ...Object.values(providerRoutes),
    // resume after the login form (/auth/:uid), logout confirmation and success
    `${providerRoutes.authorization}/*`,
    `${providerRoutes.end_session}/*`,
  ];
  for (const url of paths) {
    app.all(url, { schema: { hide: true } }, async (request, reply) => {
      reply.hijack();
      await handle(request.raw, reply.raw);
    });
  }
};
