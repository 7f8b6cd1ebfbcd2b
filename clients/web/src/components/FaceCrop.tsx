// A round face crop; falls back to initials-free grey when the crop is missing.
export function FaceCrop({ url, alt, size = 'md' }: { url: string | null | undefined; alt: string; size?: 'sm' | 'md' | 'lg' }) {
  const sizes = { sm: 'h-8 w-8', md: 'h-full w-full', lg: 'h-24 w-24' };
  return url ? (
    <img src={url} alt={alt} loading="lazy" className={`${sizes[size]} rounded-full bg-neutral-200 object-cover`} />
  ) : (
    <span aria-label={alt} className={`${sizes[size]} block rounded-full bg-neutral-200`} />
  );
}
