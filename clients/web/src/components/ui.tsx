import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Tone = 'primary' | 'plain' | 'danger' | 'ghost';

const tones: Record<Tone, string> = {
  primary: 'bg-sky-600 text-white hover:bg-sky-700 disabled:bg-sky-300',
  plain: 'bg-white text-neutral-800 ring-1 ring-neutral-300 hover:bg-neutral-100 disabled:text-neutral-400',
  danger: 'bg-white text-red-700 ring-1 ring-red-300 hover:bg-red-50 disabled:text-red-300',
  ghost: 'text-neutral-700 hover:bg-neutral-200/70 disabled:text-neutral-400',
};

export function Button({ tone = 'plain', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed ${tones[tone]} ${className}`}
      {...props}
    />
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 p-4 text-sm text-neutral-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-neutral-300 border-t-sky-600" />
      {label}…
    </div>
  );
}

export function Notice({ tone = 'info', children }: { tone?: 'info' | 'error'; children: ReactNode }) {
  const look = tone === 'error' ? 'bg-red-50 text-red-800 ring-red-200' : 'bg-sky-50 text-sky-900 ring-sky-200';
  return (
    <p role={tone === 'error' ? 'alert' : 'note'} className={`rounded-lg px-3 py-2 text-sm ring-1 ${look}`}>
      {children}
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-neutral-300 p-8 text-center text-neutral-500">
      <p className="font-medium text-neutral-700">{title}</p>
      {children && <div className="mt-1 text-sm">{children}</div>}
    </div>
  );
}

export function Section({ title, count, actions, children }: { title: string; count?: number; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="mb-8" aria-label={title}>
      <header className="mb-3 flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">
          {title}
          {count !== undefined && <span className="ml-2 text-sm font-normal text-neutral-500">{count}</span>}
        </h2>
        <div className="ml-auto flex flex-wrap gap-2">{actions}</div>
      </header>
      {children}
    </section>
  );
}

/** "1 photo", "3 photos". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The name people see for a group: its name, or a neutral placeholder. */
export function personLabel(name: string | null | undefined): string {
  return name && name.trim() !== '' ? name : 'Unnamed';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
