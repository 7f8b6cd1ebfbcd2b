import { InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

// Lists are Relay connections: each distinct filter is its own list, pages append.
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          photos: relayStylePagination(['filter', 'orderBy']),
          faces: relayStylePagination(['filter']),
          clusters: relayStylePagination(['filter']),
          people: relayStylePagination(['name']),
          albums: relayStylePagination(),
          // Detail pages read what the lists already fetched while the full record loads.
          photo: { read: (_, { args, toReference }) => toReference({ __typename: 'Photo', id: args?.id }) },
          person: { read: (_, { args, toReference }) => toReference({ __typename: 'Cluster', id: args?.id }) },
          cluster: { read: (_, { args, toReference }) => toReference({ __typename: 'Cluster', id: args?.id }) },
          face: { read: (_, { args, toReference }) => toReference({ __typename: 'Face', id: args?.id }) },
        },
      },
      Cluster: { fields: { faces: relayStylePagination(), photos: relayStylePagination() } },
      Album: { fields: { photos: relayStylePagination() } },
      // Status counters are one object per library, not entities with ids.
      LibraryStatus: { keyFields: [] },
    },
  });
}
