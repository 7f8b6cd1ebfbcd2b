// Photo search filters live in the URL so a search can be bookmarked and shared. This module is
// the one place that knows the URL spelling and how it maps onto the GraphQL PhotoFilter.

export type PersonMatch = 'ALL' | 'ANY';

export interface PhotoSearch {
  people: string[];
  match: PersonMatch;
  from: string | null; // yyyy-mm-dd, inclusive
  to: string | null; // yyyy-mm-dd, inclusive
  place: string | null;
  country: string | null;
  camera: string | null;
  labels: string[];
  unknownFaces: boolean;
  text: string | null;
}

export const emptySearch: PhotoSearch = {
  people: [],
  match: 'ALL',
  from: null,
  to: null,
  place: null,
  country: null,
  camera: null,
  labels: [],
  unknownFaces: false,
  text: null,
};

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | null): string | null {
  return value !== null && isoDay.test(value) ? value : null;
}

function text(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function uniqueNonEmpty(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}

export function searchFromParams(params: URLSearchParams): PhotoSearch {
  return {
    people: uniqueNonEmpty(params.getAll('person')),
    match: params.get('match')?.toUpperCase() === 'ANY' ? 'ANY' : 'ALL',
    from: day(params.get('from')),
    to: day(params.get('to')),
    place: text(params.get('place')),
    country: text(params.get('country')),
    camera: text(params.get('camera')),
    labels: uniqueNonEmpty(params.getAll('label')),
    unknownFaces: params.get('unknown') === '1',
    text: text(params.get('q')),
  };
}

/** The inverse of searchFromParams; defaults are left out so URLs stay short. */
export function paramsFromSearch(search: PhotoSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const person of uniqueNonEmpty(search.people)) params.append('person', person);
  if (search.match === 'ANY' && search.people.length > 1) params.set('match', 'any');
  if (day(search.from)) params.set('from', search.from!);
  if (day(search.to)) params.set('to', search.to!);
  const single: [string, string | null][] = [
    ['place', search.place],
    ['country', search.country],
    ['camera', search.camera],
    ['q', search.text],
  ];
  for (const [key, value] of single) if (text(value)) params.set(key, text(value)!);
  for (const label of uniqueNonEmpty(search.labels)) params.append('label', label);
  if (search.unknownFaces) params.set('unknown', '1');
  return params;
}

export function isEmptySearch(search: PhotoSearch): boolean {
  return paramsFromSearch(search).toString() === '';
}

export function dayAfter(isoDate: string): string {
  const [year, month, date] = isoDate.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  return next.toISOString().slice(0, 10);
}

/** The GraphQL `PhotoFilter` input for a search; dates become the start and end of those days. */
export function photoFilter(search: PhotoSearch): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (search.people.length > 0) {
    filter.personNames = search.people;
    filter.personMatch = search.match;
  }
  if (search.from) filter.takenAfter = `${search.from}T00:00:00`;
  // takenBefore is exclusive on the server: the day after `to` keeps `to` itself in.
  if (search.to) filter.takenBefore = `${dayAfter(search.to)}T00:00:00`;
  if (search.place) filter.place = search.place;
  if (search.country) filter.country = search.country;
  if (search.camera) filter.camera = search.camera;
  if (search.labels.length > 0) filter.labels = search.labels;
  if (search.unknownFaces) filter.hasUnknownFaces = true;
  if (search.text) filter.text = search.text;
  return filter;
}
