// Selection of faces, groups or photos in a grid: click toggles, shift-click selects the run
// from the last clicked item, and the selection survives items vanishing from the list.

export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const emptySelection: Selection = { ids: new Set(), anchor: null };

export function toggle(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Shift-click: adds every item between the anchor and `id` (in display order). */
export function extendTo(selection: Selection, id: string, order: readonly string[]): Selection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return toggle(selection, id);
  const [start, end] = from <= to ? [from, to] : [to, from];
  const ids = new Set(selection.ids);
  for (const item of order.slice(start, end + 1)) ids.add(item);
  return { ids, anchor: id };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order.at(-1) ?? null };
}

/** Drops ids no longer shown (after a move or merge) so actions never target stale items. */
export function keepOnly(selection: Selection, order: readonly string[]): Selection {
  const shown = new Set(order);
  const ids = new Set([...selection.ids].filter((id) => shown.has(id)));
  if (ids.size === selection.ids.size) return selection;
  return { ids, anchor: selection.anchor !== null && shown.has(selection.anchor) ? selection.anchor : null };
}

/** One click handler for a grid item: plain toggles, shift extends. */
export function click(
  selection: Selection,
  id: string,
  order: readonly string[],
  modifiers: { shiftKey: boolean },
): Selection {
  return modifiers.shiftKey ? extendTo(selection, id, order) : toggle(selection, id);
}
