import { MockedProvider } from '@apollo/client/testing';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { createCache } from '../api/cache';
import { LibraryStatusProvider } from '../upload/libraryStatus';
import status from '../upload/status.graphql';
import documents from './photos.graphql';
import { PhotosPage } from './PhotosPage';

const photo = (id: string) => ({
  __typename: 'Photo',
  id,
  fileName: `${id}.jpg`,
  takenAt: '2021-07-04T10:00:00',
  location: null,
  thumbnailUrl: `/media/photos/${id}/thumb`,
  width: 640,
  height: 480,
});

const answer = (ids: string[]) => ({
  data: {
    photos: {
      __typename: 'PhotoConnection',
      totalCount: ids.length,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
      edges: ids.map((id) => ({ __typename: 'PhotoEdge', node: photo(id) })),
    },
  },
});

let currentSearch = '';
function LocationProbe() {
  currentSearch = useLocation().search;
  return null;
}

describe('photos page and its URL', () => {
  it('asks the server for the search in the URL, and edits the URL when a filter is removed', async () => {
    const counts = {
      __typename: 'LibraryStatus',
      ...{ photos: 2, pending: 0, processing: 0, done: 2, failed: 0, faces: 2, unknownFaces: 0, clusters: 1, people: 1 },
    };
    const mocks = [
      { request: { query: status.LibraryStatus }, result: { data: { libraryStatus: counts } }, maxUsageCount: 20 },
      { request: { query: status.LibraryStatusChanged }, result: { data: { libraryStatus: counts } } },
      {
        request: {
          query: documents.Photos,
          variables: {
            filter: { personNames: ['Mom', 'Dad'], personMatch: 'ANY', takenAfter: '2021-01-01T00:00:00' },
            first: 100,
          },
        },
        result: answer(['p1', 'p2']),
      },
      {
        request: {
          query: documents.Photos,
          variables: { filter: { personNames: ['Mom'], personMatch: 'ALL', takenAfter: '2021-01-01T00:00:00' }, first: 100 },
        },
        result: answer(['p1']),
      },
    ];
    render(
      <MockedProvider mocks={mocks} cache={createCache()}>
        <LibraryStatusProvider>
          <MemoryRouter initialEntries={['/photos?person=Mom&person=Dad&match=any&from=2021-01-01']}>
            <PhotosPage />
            <LocationProbe />
          </MemoryRouter>
        </LibraryStatusProvider>
      </MockedProvider>,
    );
    expect(await screen.findByText('2 photos')).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Any of them' }).getAttribute('aria-checked')).toBe('true');
    expect((screen.getByLabelText('Taken from') as HTMLInputElement).value).toBe('2021-01-01');
    expect(screen.getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['p1.jpg', 'p2.jpg']);

    await userEvent.click(screen.getByRole('button', { name: 'Remove Dad' }));
    // One person left: "any" means nothing, so it leaves the URL.
    expect(currentSearch).toBe('?person=Mom&from=2021-01-01');
    expect(await screen.findByText('1 photo')).toBeTruthy();
  });
});
