// The shapes the pages work with, taken from the operation types that `npm run codegen` writes
// into generated.ts from the committed ../../schema.graphql (re-run it when the schema changes).
import type { ClusterCardFragment, LibraryCountsFragment, PhotoCardFragment, PhotoQuery } from './generated';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Every list of the API is a Relay connection. */
export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { node: T }[];
}

export type PhotoCard = PhotoCardFragment;
export type PhotoDetail = NonNullable<PhotoQuery['photo']>;
export type PhotoFace = PhotoDetail['faces'][number];
export type ClusterCard = ClusterCardFragment;
export type LibraryStatus = LibraryCountsFragment;

/** Members of the union results every mutation returns. */
export interface Problem {
  __typename: 'NotFound' | 'ValidationError' | 'Forbidden' | 'InvalidCredentials';
  message: string;
}

export function isProblem(value: { __typename?: string } | null | undefined): value is Problem {
  return (
    value != null &&
    ['NotFound', 'ValidationError', 'Forbidden', 'InvalidCredentials'].includes(value.__typename ?? '')
  );
}
