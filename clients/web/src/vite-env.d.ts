/// <reference types="vite/client" />

declare module '*.graphql' {
  import type { DocumentNode } from 'graphql';
  // One parsed document per named operation in the file (see graphqlDocuments.ts).
  const documents: Record<string, DocumentNode>;
  export default documents;
}
