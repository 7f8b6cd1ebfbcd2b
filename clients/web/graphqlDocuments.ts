// Vite plugin: `import { Photos } from './photos.graphql'` gives one parsed DocumentNode per
// operation, each carrying the fragments it spreads, so .graphql files can live beside the
// components that use them (STYLE.md) without a runtime gql tag.
import { parse, visit, type DefinitionNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'vite';

function spreadNames(node: DefinitionNode): Set<string> {
  const names = new Set<string>();
  visit(node, { FragmentSpread: (spread) => void names.add(spread.name.value) });
  return names;
}

/** Splits a document into one self-contained document per operation (plus fragments by name). */
export function splitOperations(source: string): Map<string, DocumentNode> {
  const document = parse(source, { noLocation: true });
  const fragments = new Map<string, DefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const withFragments = (root: DefinitionNode): DocumentNode => {
    const needed = new Map<string, DefinitionNode>();
    const pending = [...spreadNames(root)];
    while (pending.length > 0) {
      const name = pending.pop()!;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`unknown fragment ${name}`);
      if (needed.has(name)) continue;
      needed.set(name, fragment);
      pending.push(...spreadNames(fragment));
    }
    return { kind: 'Document' as DocumentNode['kind'], definitions: [root, ...needed.values()] };
  };
  const documents = new Map<string, DocumentNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') {
      if (!definition.name) throw new Error('every operation needs a name');
      documents.set(definition.name.value, withFragments(definition));
    } else if (definition.kind === 'FragmentDefinition') {
      documents.set(`${definition.name.value}Fragment`, withFragments(definition));
    }
  }
  return documents;
}

export function graphqlDocuments(): Plugin {
  return {
    name: 'facesort-graphql-documents',
    transform(source, id) {
      if (!id.endsWith('.graphql')) return null;
      // The parsed AST ships as JSON, so the browser never runs the GraphQL parser for it.
      const entries = [...splitOperations(source)].map(
        ([name, document]) => `${JSON.stringify(name)}: ${JSON.stringify(document)}`,
      );
      return { code: `export default {${entries.join(',\n')}};`, map: null };
    },
  };
}
