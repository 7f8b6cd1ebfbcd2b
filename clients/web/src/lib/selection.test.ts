import { click, emptySelection, extendTo, keepOnly, selectAll, toggle } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('selection in a grid', () => {
  it('toggles one item on and off', () => {
    const once = toggle(emptySelection, 'b');
    expect(ids(once)).toEqual(['b']);
    expect(ids(toggle(once, 'b'))).toEqual([]);
  });

  it('shift-click selects the run from the anchor, in either direction', () => {
    const start = toggle(emptySelection, 'b');
    expect(ids(click(start, 'd', order, { shiftKey: true }))).toEqual(['b', 'c', 'd']);
    const back = toggle(emptySelection, 'e');
    expect(ids(extendTo(back, 'c', order))).toEqual(['c', 'd', 'e']);
  });

  it('shift-click without an anchor just toggles', () => {
    expect(ids(extendTo(emptySelection, 'c', order))).toEqual(['c']);
  });

  it('keeps earlier picks when extending', () => {
    let s = toggle(emptySelection, 'a');
    s = toggle(s, 'c');
    s = extendTo(s, 'e', order);
    expect(ids(s)).toEqual(['a', 'c', 'd', 'e']);
  });

  it('forgets items that left the list, and the anchor with them', () => {
    const s = keepOnly(selectAll(order), ['a', 'b']);
    expect(ids(s)).toEqual(['a', 'b']);
    expect(s.anchor).toBeNull();
    const same = selectAll(['a']);
    expect(keepOnly(same, order)).toBe(same);
  });
});
