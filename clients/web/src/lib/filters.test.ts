import { emptySearch, isEmptySearch, paramsFromSearch, photoFilter, searchFromParams, type PhotoSearch } from './filters';

describe('photo search in the URL', () => {
  const full: PhotoSearch = {
    people: ['Mom', 'Zoë Ånström', 'A, B & C'],
    match: 'ANY',
    from: '2021-06-01',
    to: '2021-08-31',
    place: 'Vanves',
    country: 'France',
    camera: 'Canon EOS 5D',
    labels: ['beach', 'summer holiday'],
    unknownFaces: true,
    text: 'IMG_01',
  };

  it('round-trips every field through a URL string', () => {
    const url = `/photos?${paramsFromSearch(full).toString()}`;
    const back = searchFromParams(new URL(url, 'http://x').searchParams);
    expect(back).toEqual(full);
  });

  it('leaves defaults out so an empty search is an empty query string', () => {
    expect(paramsFromSearch(emptySearch).toString()).toBe('');
    expect(isEmptySearch(emptySearch)).toBe(true);
    expect(isEmptySearch({ ...emptySearch, people: ['Mom'] })).toBe(false);
  });

  it('spells the URL readably', () => {
    const params = paramsFromSearch({ ...emptySearch, people: ['Mom', 'Dad'], match: 'ANY', from: '2020-01-01' });
    expect(params.toString()).toBe('person=Mom&person=Dad&match=any&from=2020-01-01');
  });

  it('ignores garbage a hand-edited URL may hold', () => {
    const search = searchFromParams(new URLSearchParams('person=&person=Mom&person=Mom&from=yesterday&match=some&unknown=yes&q=%20%20'));
    expect(search).toEqual({ ...emptySearch, people: ['Mom'] });
  });

  it('drops ANY when there are fewer than two people (it means nothing then)', () => {
    expect(paramsFromSearch({ ...emptySearch, people: ['Mom'], match: 'ANY' }).has('match')).toBe(false);
  });

  it('maps onto the GraphQL PhotoFilter with whole days', () => {
    expect(photoFilter(full)).toEqual({
      personNames: ['Mom', 'Zoë Ånström', 'A, B & C'],
      personMatch: 'ANY',
      takenAfter: '2021-06-01T00:00:00',
      takenBefore: '2021-09-01T00:00:00',
      place: 'Vanves',
      country: 'France',
      camera: 'Canon EOS 5D',
      labels: ['beach', 'summer holiday'],
      hasUnknownFaces: true,
      text: 'IMG_01',
    });
    expect(photoFilter(emptySearch)).toEqual({});
  });

  it('ends a range at the start of the next day, across months and leap years', () => {
    expect(photoFilter({ ...emptySearch, to: '2024-02-28' }).takenBefore).toBe('2024-02-29T00:00:00');
    expect(photoFilter({ ...emptySearch, to: '2023-12-31' }).takenBefore).toBe('2024-01-01T00:00:00');
  });
});
