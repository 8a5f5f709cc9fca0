// Injected by scripts/build.mjs into every bundled module that names
// Intl.Segmenter (the bundle's define maps that name to this export).
export { GraphemeSegmenter as HostdeckGraphemeSegmenter } from './segmenter.ts';
