// npm run build: generate operation types when the schema has been committed (codegen also
// validates every .graphql document against it), type-check, then bundle into dist/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));
const run = (script) => execFileSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });

if (existsSync(schema)) run('codegen');
else console.warn(`build: ${schema} not found yet, skipping codegen`);
run('typecheck');
execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
