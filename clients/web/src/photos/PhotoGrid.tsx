// A virtualised grid: only the rows near the viewport are in the DOM, so a library of tens of
// thousands of photos scrolls smoothly; nearing the end asks for the next page.
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { PhotoCard } from '../api/types';
import { gridRows } from './groupByDate';

const gap = 4;
const headingHeight = 44;

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

interface Props {
  photos: PhotoCard[];
  hasMore: boolean;
  onNeedMore: () => void;
  /** Where a click goes, keeping the search so the photo view can step through it. */
  linkTo: (photo: PhotoCard) => string;
}

export function PhotoGrid({ photos, hasMore, onNeedMore, linkTo }: Props) {
  const [container, width] = useWidth<HTMLDivElement>();
  const columns = Math.max(3, Math.round(width / (width < 640 ? 120 : 180)));
  const tile = width > 0 ? (width - gap * (columns - 1)) / columns : 160;
  const rows = useMemo(() => gridRows(photos, columns), [photos, columns]);

  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (index) => (rows[index]?.kind === 'day' ? headingHeight : tile + gap),
    overscan: 6,
    scrollMargin: container.current?.offsetTop ?? 0,
  });
  useEffect(() => virtualizer.measure(), [tile, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 4) onNeedMore();
  }, [hasMore, lastIndex, rows.length, onNeedMore]);

  return (
    <div ref={container} data-testid="photo-grid">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          const style = {
            position: 'absolute' as const,
            top: 0,
            left: 0,
            width: '100%',
            height: item.size,
            transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
          };
          if (row.kind === 'day') {
            return (
              <h3 key={row.key} style={style} className="flex items-end pb-2 text-sm font-semibold text-neutral-700">
                {row.label}
                <span className="ml-2 font-normal text-neutral-400">{row.count}</span>
              </h3>
            );
          }
          return (
            <div key={row.key} style={{ ...style, display: 'flex', gap }}>
              {row.photos.map((photo) => (
                <Link
                  key={photo.id}
                  to={linkTo(photo)}
                  className="block overflow-hidden rounded-md bg-neutral-200 focus-visible:outline-3 focus-visible:outline-sky-500"
                  style={{ width: tile, height: tile }}
                  title={photo.fileName}
                >
                  {photo.thumbnailUrl ? (
                    <img src={photo.thumbnailUrl} alt={photo.fileName} loading="lazy" className="h-full w-full object-cover transition hover:opacity-90" />
                  ) : (
                    <span role="img" aria-label={`${photo.fileName} (processing)`} className="flex h-full items-center justify-center text-xs text-neutral-500">
                      processing…
                    </span>
                  )}
                </Link>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
