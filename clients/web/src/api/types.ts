// Hand-written shapes of the fields the pages ask for. Kept minimal on purpose: once
// ../../schema.graphql is committed, `npm run codegen` writes src/api/generated.ts with the exact
// operation types and these can be replaced by them.

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { node: T }[];
}

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClusterRef {
  __typename?: 'Cluster';
  id: string;
  name: string | null;
}

export interface PhotoFace {
  id: string;
  box: FaceBox;
  cluster: ClusterRef | null;
}

export interface PhotoCard {
  __typename?: 'Photo';
  id: string;
  fileName: string;
  takenAt: string | null;
  location: string | null;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
}

export interface PhotoDetail extends PhotoCard {
  previewUrl: string | null;
  originalUrl: string;
  camera: string | null;
  status: 'UPLOADED' | 'PROCESSING' | 'DONE' | 'FAILED';
  error: string | null;
  labels: string[];
  faces: PhotoFace[];
}

export interface ClusterCard {
  __typename?: 'Cluster';
  id: string;
  name: string | null;
  faceCount: number;
  photoCount: number;
  hidden: boolean;
  coverFace: { id: string; cropUrl: string } | null;
}

export interface FaceCard {
  __typename?: 'Face';
  id: string;
  detectionConfidence: number;
  cropUrl: string;
  cluster: ClusterRef | null;
  photo: { id: string; fileName: string };
}

export interface LibraryStatus {
  photos: number;
  pending: number;
  processing: number;
  done: number;
  failed: number;
  faces: number;
  unknownFaces: number;
  clusters: number;
  people: number;
}

export interface User {
  id: string;
  username: string;
}

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
