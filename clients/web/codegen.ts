// Types for every operation, generated from the committed schema (../../schema.graphql).
// scripts/build.mjs runs this before type-checking whenever that file exists.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/api/generated.ts': {
      plugins: ['typescript', 'typescript-operations'],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { DateTime: 'string', Date: 'string', UUID: 'string', JSON: 'unknown', Upload: 'File' },
      },
    },
  },
};
export default config;
