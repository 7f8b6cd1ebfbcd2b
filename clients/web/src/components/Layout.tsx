import { useApolloClient, useMutation } from '@apollo/client';
import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import auth from '../auth/auth.graphql';
import { useLibraryStatus } from '../upload/libraryStatus';

const links = [
  { to: '/photos', label: 'Photos', icon: '▦' },
  { to: '/people', label: 'People', icon: '☺' },
  { to: '/albums', label: 'Albums', icon: '❐' },
  { to: '/upload', label: 'Upload', icon: '⇪' },
];

function ProcessingBadge() {
  const { status } = useLibraryStatus();
  const left = status ? status.pending + status.processing : 0;
  if (left === 0) return null;
  return (
    <NavLink to="/upload" className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900" title="Photos still being processed">
      {left} processing
    </NavLink>
  );
}

export function Layout({ username, children }: { username: string; children: ReactNode }) {
  const client = useApolloClient();
  const [logout] = useMutation(auth.Logout);
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `flex flex-col items-center gap-0.5 rounded-lg px-3 py-1.5 text-xs font-medium sm:flex-row sm:gap-1.5 sm:text-sm ${
      isActive ? 'bg-sky-100 text-sky-900' : 'text-neutral-600 hover:bg-neutral-200/70'
    }`;
  return (
    <div className="min-h-screen pb-16 sm:pb-0">
      {/* No backdrop-filter here: it would make the header the containing block of the phone's
          fixed bottom navigation and pin that navigation to the top. */}
      <header className="sticky top-0 z-20 border-b border-neutral-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-3 px-3 py-2">
          <NavLink to="/photos" className="text-lg font-semibold tracking-tight">
            facesort
          </NavLink>
          <nav aria-label="Main" className="fixed inset-x-0 bottom-0 z-20 flex justify-around border-t border-neutral-200 bg-white py-1 sm:static sm:justify-start sm:border-0 sm:bg-transparent sm:py-0">
            {links.map((link) => (
              <NavLink key={link.to} to={link.to} className={linkClass}>
                <span aria-hidden className="text-base sm:hidden">
                  {link.icon}
                </span>
                {link.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2 text-sm text-neutral-600">
            <ProcessingBadge />
            <span className="hidden sm:inline">{username}</span>
            <button
              type="button"
              className="rounded-lg px-2 py-1 hover:bg-neutral-200/70"
              onClick={async () => {
                await logout().catch(() => undefined);
                await client.resetStore();
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-3 py-4">{children}</main>
    </div>
  );
}
