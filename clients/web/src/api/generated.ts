export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Date with time (isoformat) */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf). */
  JSON: { input: unknown; output: unknown; }
  /** Represents a file upload. */
  Upload: { input: File; output: File; }
};

export type Album = {
  __typename?: 'Album';
  /** The album's newest photo. */
  coverPhoto: Maybe<Photo>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  photoCount: Scalars['Int']['output'];
  /** The album's photos, newest first. */
  photos: PhotoConnection;
  updatedAt: Scalars['DateTime']['output'];
};


export type AlbumPhotosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type AlbumConnection = {
  __typename?: 'AlbumConnection';
  edges: Array<AlbumEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type AlbumEdge = {
  __typename?: 'AlbumEdge';
  cursor: Scalars['String']['output'];
  node: Album;
};

export type AlbumResult = Album | NotFound | ValidationError;

/** A token for a program; its secret is shown only once, at creation. */
export type ApiToken = {
  __typename?: 'ApiToken';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
};

/** Who put the face in its cluster: nobody yet, the machine, or a person. */
export type AssignedBy =
  | 'AUTO'
  | 'NONE'
  | 'USER';

/** A rectangle in the original photo's pixels (after EXIF orientation). */
export type Box = {
  __typename?: 'Box';
  height: Scalars['Float']['output'];
  width: Scalars['Float']['output'];
  x: Scalars['Float']['output'];
  y: Scalars['Float']['output'];
};

/** A group of faces of one person; named, it is a person (people(), person(id)). */
export type Cluster = {
  __typename?: 'Cluster';
  /** The face shown for the cluster: the chosen cover, else its best face. */
  coverFace: Maybe<Face>;
  createdAt: Scalars['DateTime']['output'];
  faceCount: Scalars['Int']['output'];
  /** The cluster's faces, best quality first. */
  faces: FaceConnection;
  hidden: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** True when the cluster has a name. */
  isPerson: Scalars['Boolean']['output'];
  name: Maybe<Scalars['String']['output']>;
  photoCount: Scalars['Int']['output'];
  /** Photos the cluster's faces are in, newest first: the person's album. */
  photos: PhotoConnection;
  updatedAt: Scalars['DateTime']['output'];
};


/** A group of faces of one person; named, it is a person (people(), person(id)). */
export type ClusterFacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A group of faces of one person; named, it is a person (people(), person(id)). */
export type ClusterPhotosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ClusterConnection = {
  __typename?: 'ClusterConnection';
  edges: Array<ClusterEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type ClusterEdge = {
  __typename?: 'ClusterEdge';
  cursor: Scalars['String']['output'];
  node: Cluster;
};

export type ClusterFilter = {
  hidden?: InputMaybe<Scalars['Boolean']['input']>;
  minFaces?: InputMaybe<Scalars['Int']['input']>;
  /** True: people only; false: unnamed groups. */
  named?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ClusterResult = Cluster | NotFound | ValidationError;

export type CreateApiTokenResult = CreatedApiToken | ValidationError;

export type CreateFirstUserResult = Forbidden | Session | ValidationError;

export type CreatedApiToken = {
  __typename?: 'CreatedApiToken';
  apiToken: ApiToken;
  /** The secret: store it now, it is never shown again. */
  token: Scalars['String']['output'];
};

export type DeleteAlbumResult = DeletedAlbum | NotFound | ValidationError;

export type DeleteClusterResult = DeletedCluster | NotFound | ValidationError;

export type DeletePhotosResult = DeletedPhotos | ValidationError;

export type DeletedAlbum = {
  __typename?: 'DeletedAlbum';
  id: Scalars['ID']['output'];
};

export type DeletedCluster = {
  __typename?: 'DeletedCluster';
  facesUnassigned: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
};

export type DeletedPhotos = {
  __typename?: 'DeletedPhotos';
  /** The photos deleted (ids not yours are left out). */
  ids: Array<Scalars['ID']['output']>;
};

/** Every expected failure has a message for the person. */
export type Error = {
  message: Scalars['String']['output'];
};

export type Face = {
  __typename?: 'Face';
  assignedBy: AssignedBy;
  box: Box;
  /** The cluster (a person when named) the face is in; null when unknown. */
  cluster: Maybe<Cluster>;
  cropUrl: Scalars['String']['output'];
  detectionConfidence: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  /** Eyes, nose, mouth corners (five points). */
  landmarks: Array<Point>;
  photo: Photo;
  /** 0..1: size, sharpness and pose of the face. */
  quality: Scalars['Float']['output'];
};

export type FaceConnection = {
  __typename?: 'FaceConnection';
  edges: Array<FaceEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type FaceEdge = {
  __typename?: 'FaceEdge';
  cursor: Scalars['String']['output'];
  node: Face;
};

export type FaceFilter = {
  assignedBy?: InputMaybe<AssignedBy>;
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  minQuality?: InputMaybe<Scalars['Float']['input']>;
  photoId?: InputMaybe<Scalars['ID']['input']>;
  /** True: faces in no cluster. */
  unknown?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The caller may not do this. */
export type Forbidden = Error & {
  __typename?: 'Forbidden';
  message: Scalars['String']['output'];
};

/** Wrong username or password, or too many attempts. */
export type InvalidCredentials = Error & {
  __typename?: 'InvalidCredentials';
  message: Scalars['String']['output'];
  retryAfterSeconds: Maybe<Scalars['Int']['output']>;
};

export type Label = {
  __typename?: 'Label';
  name: Scalars['String']['output'];
  photoCount: Scalars['Int']['output'];
};

export type LabelConnection = {
  __typename?: 'LabelConnection';
  edges: Array<LabelEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type LabelEdge = {
  __typename?: 'LabelEdge';
  cursor: Scalars['String']['output'];
  node: Label;
};

export type LabelledPhotos = {
  __typename?: 'LabelledPhotos';
  photos: Array<Photo>;
};

export type LabelsResult = LabelledPhotos | NotFound | ValidationError;

/** Counts for your library; pending + processing is the work still to do. */
export type LibraryStatus = {
  __typename?: 'LibraryStatus';
  clusters: Scalars['Int']['output'];
  done: Scalars['Int']['output'];
  faces: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  pending: Scalars['Int']['output'];
  /** Named clusters. */
  people: Scalars['Int']['output'];
  photos: Scalars['Int']['output'];
  processing: Scalars['Int']['output'];
  /** Faces in no cluster. */
  unknownFaces: Scalars['Int']['output'];
};

export type LoggedOut = {
  __typename?: 'LoggedOut';
  ok: Scalars['Boolean']['output'];
};

export type LoginResult = InvalidCredentials | Session;

/** Two clusters that look like one person: merge source into target. */
export type MergeSuggestion = {
  __typename?: 'MergeSuggestion';
  /** Embedding distance of the two centroids (smaller: surer). */
  distance: Scalars['Float']['output'];
  source: Cluster;
  target: Cluster;
};

export type MergeSuggestionConnection = {
  __typename?: 'MergeSuggestionConnection';
  edges: Array<MergeSuggestionEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type MergeSuggestionEdge = {
  __typename?: 'MergeSuggestionEdge';
  cursor: Scalars['String']['output'];
  node: MergeSuggestion;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Label photos (labels already there are kept once). */
  addLabels: LabelsResult;
  addPhotosToAlbum: AlbumResult;
  createAlbum: AlbumResult;
  /** A token for a program; the secret is in the answer, and only there. */
  createApiToken: CreateApiTokenResult;
  /** On a fresh install: make the first account; photos so far become its own. */
  createFirstUser: CreateFirstUserResult;
  /** A new cluster of these faces, optionally named (as nameCluster would). */
  createPerson: ClusterResult;
  /** Delete an album; its photos stay in the library. */
  deleteAlbum: DeleteAlbumResult;
  /** Delete a cluster: its faces become unknown, the photos stay. */
  deleteCluster: DeleteClusterResult;
  /** Delete photos with their faces, thumbnails and (if unshared) originals. */
  deletePhotos: DeletePhotosResult;
  /** Hide a cluster from people lists and suggestions (or show it again). */
  hideCluster: ClusterResult;
  /** Two clusters are different people: never suggest merging them again, never recluster them together. The answer is the first cluster. */
  keepApart: ClusterResult;
  /** Sign in: sets the session cookies and returns the session. */
  login: LoginResult;
  /** Sign out: the session token stops working. */
  logout: LoggedOut;
  /** Move every face of the sources into the target; the sources go away. */
  mergeClusters: ClusterResult;
  /** Put faces in a cluster by hand (the answer is that cluster). */
  moveFaces: ClusterResult;
  /** Name or rename a cluster. An existing person's name merges the two; the answer is the cluster that now carries the name. */
  nameCluster: ClusterResult;
  /** Group the unknown faces again (runs in the background). */
  recluster: ReclusterQueued;
  /** "Not this person": the faces leave their clusters and never return to them. */
  rejectFaces: RejectFacesResult;
  /** Remove labels from photos (case and accents ignored). */
  removeLabels: LabelsResult;
  removePhotosFromAlbum: AlbumResult;
  renameAlbum: AlbumResult;
  /** Revoke one of your API tokens. */
  revokeApiToken: RevokeApiTokenResult;
  /** Choose the face shown for a cluster. */
  setCoverFace: ClusterResult;
  /** Take these faces out of the cluster into a new cluster (the answer). */
  splitCluster: ClusterResult;
  /** Upload photos (multipart request); a reason for each file refused. */
  uploadPhotos: UploadPhotosResult;
};


export type MutationAddLabelsArgs = {
  labels: Array<Scalars['String']['input']>;
  photoIds: Array<Scalars['ID']['input']>;
};


export type MutationAddPhotosToAlbumArgs = {
  id: Scalars['ID']['input'];
  photoIds: Array<Scalars['ID']['input']>;
};


export type MutationCreateAlbumArgs = {
  name: Scalars['String']['input'];
  photoIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationCreateApiTokenArgs = {
  name: Scalars['String']['input'];
};


export type MutationCreateFirstUserArgs = {
  password: Scalars['String']['input'];
  username: Scalars['String']['input'];
};


export type MutationCreatePersonArgs = {
  faceIds: Array<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};


export type MutationDeleteAlbumArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeletePhotosArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type MutationHideClusterArgs = {
  hidden: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


export type MutationKeepApartArgs = {
  clusterId: Scalars['ID']['input'];
  otherId: Scalars['ID']['input'];
};


export type MutationLoginArgs = {
  password: Scalars['String']['input'];
  username: Scalars['String']['input'];
};


export type MutationMergeClustersArgs = {
  sourceIds: Array<Scalars['ID']['input']>;
  targetId: Scalars['ID']['input'];
};


export type MutationMoveFacesArgs = {
  clusterId: Scalars['ID']['input'];
  faceIds: Array<Scalars['ID']['input']>;
};


export type MutationNameClusterArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRejectFacesArgs = {
  faceIds: Array<Scalars['ID']['input']>;
};


export type MutationRemoveLabelsArgs = {
  labels: Array<Scalars['String']['input']>;
  photoIds: Array<Scalars['ID']['input']>;
};


export type MutationRemovePhotosFromAlbumArgs = {
  id: Scalars['ID']['input'];
  photoIds: Array<Scalars['ID']['input']>;
};


export type MutationRenameAlbumArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetCoverFaceArgs = {
  clusterId: Scalars['ID']['input'];
  faceId: Scalars['ID']['input'];
};


export type MutationSplitClusterArgs = {
  faceIds: Array<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationUploadPhotosArgs = {
  files: Array<Scalars['Upload']['input']>;
};

/** The thing does not exist or is not yours (never says which). */
export type NotFound = Error & {
  __typename?: 'NotFound';
  ids: Array<Scalars['ID']['output']>;
  message: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/** ALL: photos with every one of these people; ANY: with at least one. */
export type PersonMatch =
  | 'ALL'
  | 'ANY';

export type Photo = {
  __typename?: 'Photo';
  camera: Maybe<Scalars['String']['output']>;
  /** ISO country code of the place. */
  country: Maybe<Scalars['String']['output']>;
  /** Why processing failed, when it did. */
  error: Maybe<Scalars['String']['output']>;
  /** The faces found in the photo, left to right. */
  faces: Array<Face>;
  fileName: Scalars['String']['output'];
  height: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** Free-text labels, alphabetical. */
  labels: Array<Scalars['String']['output']>;
  latitude: Maybe<Scalars['Float']['output']>;
  /** Place name: city, region, country code. */
  location: Maybe<Scalars['String']['output']>;
  longitude: Maybe<Scalars['Float']['output']>;
  /** EXIF subset: camera, lens, exposure, GPS, place parts. */
  metadata: Scalars['JSON']['output'];
  originalUrl: Scalars['String']['output'];
  /** 1600 px WebP; null until the photo is ingested. */
  previewUrl: Maybe<Scalars['String']['output']>;
  status: PhotoStatus;
  /** EXIF date, else the file's time (UTC). */
  takenAt: Maybe<Scalars['DateTime']['output']>;
  /** 400 px WebP; null until the photo is ingested. */
  thumbnailUrl: Maybe<Scalars['String']['output']>;
  uploadDate: Scalars['DateTime']['output'];
  width: Maybe<Scalars['Int']['output']>;
};


export type PhotoFacesArgs = {
  unknown?: InputMaybe<Scalars['Boolean']['input']>;
};

export type PhotoConnection = {
  __typename?: 'PhotoConnection';
  edges: Array<PhotoEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type PhotoEdge = {
  __typename?: 'PhotoEdge';
  cursor: Scalars['String']['output'];
  node: Photo;
};

/** Every field narrows the search; empty fields do not. */
export type PhotoFilter = {
  /** Part of the camera name. */
  camera?: InputMaybe<Scalars['String']['input']>;
  /** ISO country code. */
  country?: InputMaybe<Scalars['String']['input']>;
  hasFaces?: InputMaybe<Scalars['Boolean']['input']>;
  /** Photos with (or without) a face in no cluster. */
  hasUnknownFaces?: InputMaybe<Scalars['Boolean']['input']>;
  /** Photos with all of them. */
  labels?: InputMaybe<Array<Scalars['String']['input']>>;
  personIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  personMatch?: PersonMatch;
  /** Case- and accent-insensitive exact names of people. */
  personNames?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Part of the place name. */
  place?: InputMaybe<Scalars['String']['input']>;
  /** Inclusive. */
  takenAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exclusive. */
  takenBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Words in the file name, the place or a label. */
  text?: InputMaybe<Scalars['String']['input']>;
};

export type PhotoOrder =
  | 'TAKEN_AT_ASC'
  | 'TAKEN_AT_DESC'
  | 'UPLOADED_ASC'
  | 'UPLOADED_DESC';

/** Where a photo is in processing: uploaded and processing are the work still to do. */
export type PhotoStatus =
  | 'DONE'
  | 'FAILED'
  | 'PROCESSING'
  | 'UPLOADED';

export type Place = {
  __typename?: 'Place';
  country: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  photoCount: Scalars['Int']['output'];
};

export type PlaceConnection = {
  __typename?: 'PlaceConnection';
  edges: Array<PlaceEdge>;
  pageInfo: PageInfo;
  /** How many there are in all, across every page. */
  totalCount: Scalars['Int']['output'];
};

export type PlaceEdge = {
  __typename?: 'PlaceEdge';
  cursor: Scalars['String']['output'];
  node: Place;
};

export type Point = {
  __typename?: 'Point';
  x: Scalars['Float']['output'];
  y: Scalars['Float']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One of your albums; null when unknown or not yours. */
  album: Maybe<Album>;
  /** Albums you made, newest first (the album of a person is person.photos). */
  albums: AlbumConnection;
  /** Your API tokens (not the secrets). */
  apiTokens: Array<ApiToken>;
  /** A cluster, named or not; null when unknown or not yours. */
  cluster: Maybe<Cluster>;
  /** Your clusters, largest first. */
  clusters: ClusterConnection;
  /** One of your faces; null when it does not exist or is not yours. */
  face: Maybe<Face>;
  /** Your faces, newest first. */
  faces: FaceConnection;
  /** Labels on your photos, most used first. */
  labels: LabelConnection;
  /** Counts for your library. */
  libraryStatus: LibraryStatus;
  /** The signed-in user; null when nobody is. */
  me: Maybe<User>;
  /** Pairs of clusters that look like the same person, closest first. */
  mergeSuggestions: MergeSuggestionConnection;
  /** People (named, not hidden clusters). `name` matches case- and accent-insensitively: names starting with it first, then names containing it. */
  people: ClusterConnection;
  /** A person (a named cluster); null when unknown, unnamed or not yours. */
  person: Maybe<Cluster>;
  /** One of your photos; null when it does not exist or is not yours. */
  photo: Maybe<Photo>;
  /** Your photos, filtered; newest first unless orderBy says otherwise. */
  photos: PhotoConnection;
  /** Places your photos were taken at, most photographed first. */
  places: PlaceConnection;
  /** True on a fresh install: the web page offers createFirstUser. */
  setupRequired: Scalars['Boolean']['output'];
};


export type QueryAlbumArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAlbumsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryClusterArgs = {
  id: Scalars['ID']['input'];
};


export type QueryClustersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ClusterFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryFaceArgs = {
  id: Scalars['ID']['input'];
};


export type QueryFacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<FaceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryLabelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMergeSuggestionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPeopleArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};


export type QueryPersonArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPhotoArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPhotosArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PhotoFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: PhotoOrder;
};


export type QueryPlacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ReclusterQueued = {
  __typename?: 'ReclusterQueued';
  queued: Scalars['Boolean']['output'];
};

export type RejectFacesResult = NotFound | RejectedFaces | ValidationError;

export type RejectedFaces = {
  __typename?: 'RejectedFaces';
  /** The faces, now unknown. */
  faces: Array<Face>;
};

export type RevokeApiTokenResult = NotFound | RevokedApiToken | ValidationError;

export type RevokedApiToken = {
  __typename?: 'RevokedApiToken';
  id: Scalars['ID']['output'];
};

/** A signed-in session. The web page gets it as cookies; programs may send the token as `Authorization: Bearer <token>`. */
export type Session = {
  __typename?: 'Session';
  /** Send as X-CSRF-Token with cookie-authenticated POSTs. */
  csrfToken: Scalars['String']['output'];
  token: Scalars['String']['output'];
  user: User;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The counts now, then again each time they change (checked every second). */
  libraryStatus: LibraryStatus;
};


export type SubscriptionLibraryStatusArgs = {
  intervalSeconds?: Scalars['Float']['input'];
};

export type UploadError = {
  __typename?: 'UploadError';
  error: Scalars['String']['output'];
  fileName: Scalars['String']['output'];
};

export type UploadPhotosResult = {
  __typename?: 'UploadPhotosResult';
  errors: Array<UploadError>;
  photos: Array<UploadedPhoto>;
};

export type UploadedPhoto = {
  __typename?: 'UploadedPhoto';
  /** True when the same file was already in the library. */
  duplicate: Scalars['Boolean']['output'];
  fileName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The photo row (status UPLOADED until processed). */
  photo: Maybe<Photo>;
};

export type User = {
  __typename?: 'User';
  email: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  username: Scalars['String']['output'];
};

/** The input is not acceptable; `field` names the input at fault. */
export type ValidationError = Error & {
  __typename?: 'ValidationError';
  field: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
};

export type AlbumCardFragment = { __typename?: 'Album', id: string, name: string, photoCount: number, coverPhoto: { __typename?: 'Photo', id: string, thumbnailUrl: string | null } | null };

export type AlbumsQueryVariables = Exact<{
  first: Scalars['Int']['input'];
}>;


export type AlbumsQuery = { __typename?: 'Query', albums: { __typename?: 'AlbumConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'AlbumEdge', node: { __typename?: 'Album', id: string, name: string, photoCount: number, coverPhoto: { __typename?: 'Photo', id: string, thumbnailUrl: string | null } | null } }> } };

export type AlbumQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AlbumQuery = { __typename?: 'Query', album: { __typename?: 'Album', id: string, name: string, photoCount: number, photos: { __typename?: 'PhotoConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'PhotoEdge', node: { __typename?: 'Photo', id: string, fileName: string, takenAt: string | null, location: string | null, thumbnailUrl: string | null, width: number | null, height: number | null } }> }, coverPhoto: { __typename?: 'Photo', id: string, thumbnailUrl: string | null } | null } | null };

export type CreateAlbumMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type CreateAlbumMutation = { __typename?: 'Mutation', createAlbum:
    | { __typename: 'Album', id: string, name: string, photoCount: number, coverPhoto: { __typename?: 'Photo', id: string, thumbnailUrl: string | null } | null }
    | { __typename: 'NotFound' }
    | { __typename: 'ValidationError', message: string }
   };

export type RenameAlbumMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
}>;


export type RenameAlbumMutation = { __typename?: 'Mutation', renameAlbum:
    | { __typename: 'Album', id: string, name: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type DeleteAlbumMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteAlbumMutation = { __typename?: 'Mutation', deleteAlbum:
    | { __typename: 'DeletedAlbum' }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError' }
   };

export type AddPhotosToAlbumMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  photoIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type AddPhotosToAlbumMutation = { __typename?: 'Mutation', addPhotosToAlbum:
    | { __typename: 'Album', id: string, name: string, photoCount: number, coverPhoto: { __typename?: 'Photo', id: string, thumbnailUrl: string | null } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError' }
   };

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { __typename?: 'Query', setupRequired: boolean, me: { __typename?: 'User', id: string, username: string } | null };

export type LoginMutationVariables = Exact<{
  username: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type LoginMutation = { __typename?: 'Mutation', login:
    | { __typename: 'InvalidCredentials', message: string }
    | { __typename: 'Session', user: { __typename?: 'User', id: string, username: string } }
   };

export type CreateFirstUserMutationVariables = Exact<{
  username: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type CreateFirstUserMutation = { __typename?: 'Mutation', createFirstUser:
    | { __typename: 'Forbidden' }
    | { __typename: 'Session', user: { __typename?: 'User', id: string, username: string } }
    | { __typename: 'ValidationError', message: string }
   };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { __typename?: 'Mutation', logout: { __typename?: 'LoggedOut', ok: boolean } };

export type ClusterCardFragment = { __typename?: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null };

export type ClustersQueryVariables = Exact<{
  filter?: InputMaybe<ClusterFilter>;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ClustersQuery = { __typename?: 'Query', clusters: { __typename?: 'ClusterConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'ClusterEdge', node: { __typename?: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null } }> } };

export type UnknownFacesQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type UnknownFacesQuery = { __typename?: 'Query', faces: { __typename?: 'FaceConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'FaceEdge', node: { __typename?: 'Face', id: string, cropUrl: string, detectionConfidence: number, cluster: { __typename?: 'Cluster', id: string, name: string | null } | null, photo: { __typename?: 'Photo', id: string, fileName: string } } }> } };

export type MergeSuggestionsQueryVariables = Exact<{
  first: Scalars['Int']['input'];
}>;


export type MergeSuggestionsQuery = { __typename?: 'Query', mergeSuggestions: { __typename?: 'MergeSuggestionConnection', totalCount: number, edges: Array<{ __typename?: 'MergeSuggestionEdge', node: { __typename?: 'MergeSuggestion', distance: number, target: { __typename?: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }, source: { __typename?: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null } } }> } };

export type NameClusterMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
}>;


export type NameClusterMutation = { __typename?: 'Mutation', nameCluster:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type MergeClustersMutationVariables = Exact<{
  targetId: Scalars['ID']['input'];
  sourceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type MergeClustersMutation = { __typename?: 'Mutation', mergeClusters:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type HideClusterMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  hidden: Scalars['Boolean']['input'];
}>;


export type HideClusterMutation = { __typename?: 'Mutation', hideCluster:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError' }
   };

export type CreatePersonMutationVariables = Exact<{
  faceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreatePersonMutation = { __typename?: 'Mutation', createPerson:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type MoveFacesMutationVariables = Exact<{
  faceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  clusterId: Scalars['ID']['input'];
}>;


export type MoveFacesMutation = { __typename?: 'Mutation', moveFaces:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type PersonQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type PersonQuery = { __typename?: 'Query', cluster: { __typename?: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null, faces: { __typename?: 'FaceConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'FaceEdge', node: { __typename?: 'Face', id: string, cropUrl: string, detectionConfidence: number, photo: { __typename?: 'Photo', id: string, fileName: string } } }> } } | null };

export type SplitClusterMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  faceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type SplitClusterMutation = { __typename?: 'Mutation', splitCluster:
    | { __typename: 'Cluster', id: string, name: string | null, faceCount: number, photoCount: number, hidden: boolean, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RejectFacesMutationVariables = Exact<{
  faceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type RejectFacesMutation = { __typename?: 'Mutation', rejectFaces:
    | { __typename: 'NotFound', message: string }
    | { __typename: 'RejectedFaces', faces: Array<{ __typename?: 'Face', id: string }> }
    | { __typename: 'ValidationError', message: string }
   };

export type SetCoverFaceMutationVariables = Exact<{
  clusterId: Scalars['ID']['input'];
  faceId: Scalars['ID']['input'];
}>;


export type SetCoverFaceMutation = { __typename?: 'Mutation', setCoverFace:
    | { __typename: 'Cluster', id: string, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type DeleteClusterMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteClusterMutation = { __typename?: 'Mutation', deleteCluster:
    | { __typename: 'DeletedCluster', id: string, facesUnassigned: number }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ClusterPhotosQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ClusterPhotosQuery = { __typename?: 'Query', cluster: { __typename?: 'Cluster', id: string, photos: { __typename?: 'PhotoConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'PhotoEdge', node: { __typename?: 'Photo', id: string, fileName: string, takenAt: string | null, location: string | null, thumbnailUrl: string | null, width: number | null, height: number | null } }> } } | null };

export type PhotoQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PhotoQuery = { __typename?: 'Query', photo: { __typename?: 'Photo', id: string, fileName: string, takenAt: string | null, location: string | null, thumbnailUrl: string | null, previewUrl: string | null, originalUrl: string, width: number | null, height: number | null, camera: string | null, status: PhotoStatus, error: string | null, labels: Array<string>, faces: Array<{ __typename?: 'Face', id: string, box: { __typename?: 'Box', x: number, y: number, width: number, height: number }, cluster: { __typename?: 'Cluster', id: string, name: string | null } | null }> } | null };

export type AddLabelsMutationVariables = Exact<{
  photoIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  labels: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type AddLabelsMutation = { __typename?: 'Mutation', addLabels:
    | { __typename: 'LabelledPhotos', photos: Array<{ __typename?: 'Photo', id: string, labels: Array<string> }> }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RemoveLabelsMutationVariables = Exact<{
  photoIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  labels: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type RemoveLabelsMutation = { __typename?: 'Mutation', removeLabels:
    | { __typename: 'LabelledPhotos', photos: Array<{ __typename?: 'Photo', id: string, labels: Array<string> }> }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type PhotoCardFragment = { __typename?: 'Photo', id: string, fileName: string, takenAt: string | null, location: string | null, thumbnailUrl: string | null, width: number | null, height: number | null };

export type PhotosQueryVariables = Exact<{
  filter?: InputMaybe<PhotoFilter>;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type PhotosQuery = { __typename?: 'Query', photos: { __typename?: 'PhotoConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename?: 'PhotoEdge', node: { __typename?: 'Photo', id: string, fileName: string, takenAt: string | null, location: string | null, thumbnailUrl: string | null, width: number | null, height: number | null } }> } };

export type PeopleNamesQueryVariables = Exact<{
  name?: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
}>;


export type PeopleNamesQuery = { __typename?: 'Query', people: { __typename?: 'ClusterConnection', edges: Array<{ __typename?: 'ClusterEdge', node: { __typename?: 'Cluster', id: string, name: string | null, coverFace: { __typename?: 'Face', id: string, cropUrl: string } | null } }> } };

export type LibraryCountsFragment = { __typename?: 'LibraryStatus', photos: number, pending: number, processing: number, done: number, failed: number, faces: number, unknownFaces: number, clusters: number, people: number };

export type LibraryStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type LibraryStatusQuery = { __typename?: 'Query', libraryStatus: { __typename?: 'LibraryStatus', photos: number, pending: number, processing: number, done: number, failed: number, faces: number, unknownFaces: number, clusters: number, people: number } };

export type LibraryStatusChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LibraryStatusChangedSubscription = { __typename?: 'Subscription', libraryStatus: { __typename?: 'LibraryStatus', photos: number, pending: number, processing: number, done: number, failed: number, faces: number, unknownFaces: number, clusters: number, people: number } };
