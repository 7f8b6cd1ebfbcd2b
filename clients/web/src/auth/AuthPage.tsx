// First run (no account yet: make the owner's account) and log in, one form for both.
import { useApolloClient, useMutation } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { Button, Notice } from '../components/ui';
import auth from './auth.graphql';

type Answer = { __typename: string; message?: string };

export function AuthPage({ firstRun }: { firstRun: boolean }) {
  const client = useApolloClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [login, loginState] = useMutation<{ login: Answer }>(auth.Login);
  const [create, createState] = useMutation<{ createFirstUser: Answer }>(auth.CreateFirstUser);
  const busy = loginState.loading || createState.loading;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (firstRun && password !== repeat) return setProblem('The two passwords differ.');
    try {
      const variables = { username: username.trim(), password };
      const { data } = firstRun ? await create({ variables }) : await login({ variables });
      const answer = data && ('login' in data ? data.login : data.createFirstUser);
      if (answer?.__typename !== 'Session') return setProblem(answer?.message ?? 'That did not work.');
      // Everything cached so far was fetched anonymously.
      await client.resetStore();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  const field = 'mt-1 w-full rounded-lg border border-neutral-300 px-3 py-2 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200';
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <form onSubmit={submit} className="w-full max-w-sm space-y-4 rounded-2xl bg-white p-6 shadow-sm ring-1 ring-neutral-200">
        <div>
          <h1 className="text-2xl font-semibold">{firstRun ? 'Welcome to facesort' : 'Sign in to facesort'}</h1>
          <p className="mt-1 text-sm text-neutral-500">
            {firstRun ? 'Create the account that owns this library.' : 'Your photos, sorted by the people in them.'}
          </p>
        </div>
        <label className="block text-sm font-medium">
          Username
          <input className={field} autoFocus autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input
            className={field}
            type="password"
            autoComplete={firstRun ? 'new-password' : 'current-password'}
            required
            minLength={firstRun ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {firstRun && (
          <label className="block text-sm font-medium">
            Password again
            <input className={field} type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </label>
        )}
        {problem && <Notice tone="error">{problem}</Notice>}
        <Button tone="primary" type="submit" disabled={busy} className="w-full py-2">
          {firstRun ? 'Create account' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
