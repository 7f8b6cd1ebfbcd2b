import { ApolloClient, ApolloLink, HttpLink, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { createCache } from './cache';
import { csrfHeaders } from './csrf';

// Same-origin everywhere: the server sets the session cookie, we add the CSRF header.
const csrfLink = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
    headers: { ...headers, ...csrfHeaders() },
  }));
  return forward(operation);
});

function websocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`;
}

export function createApolloClient(): ApolloClient<unknown> {
  const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });
  const ws = new GraphQLWsLink(
    createClient({ url: websocketUrl(), lazy: true, retryAttempts: 3, connectionParams: () => csrfHeaders() }),
  );
  const isSubscription = ({ query }: { query: Parameters<typeof getMainDefinition>[0] }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  return new ApolloClient({
    cache: createCache(),
    link: split(isSubscription, ws, ApolloLink.from([csrfLink, http])),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' } },
  });
}
