// Cookie-authenticated requests carry the CSRF token the server put in a readable cookie.
export const csrfCookie = 'facesort_csrf';
export const csrfHeader = 'X-CSRF-Token';

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

export function csrfHeaders(cookies?: string): Record<string, string> {
  const token = readCookie(csrfCookie, cookies);
  return token ? { [csrfHeader]: token } : {};
}
