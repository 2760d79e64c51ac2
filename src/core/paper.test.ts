import { describe, expect, it } from 'vitest';
import { emptyPaper, isUnknownVersion, knownVersions } from './paper.js';

const withVersions = (versions: number[], latestVersion: number | null) => ({
  ...emptyPaper('2405.15738'),
  versions: versions.map((version) => ({ version, submittedAt: null, size: null })),
  latestVersion,
});

describe('knownVersions', () => {
  it('counts from 1 to the newest version named, with no gaps, as arXiv numbers them', () => {
    // the arXiv API names v1 and the current version only: v2 of a v3 paper exists all the same
    const atom = withVersions([1, 3], 3);
    expect(knownVersions(atom)).toEqual([1, 2, 3]);
    expect(isUnknownVersion(atom, 2)).toBe(false);
    expect(isUnknownVersion(atom, 4)).toBe(true);
    // a newer version named by a source without a history
    expect(knownVersions(withVersions([1, 2], 4))).toEqual([1, 2, 3, 4]);
    expect(knownVersions(withVersions([], 2))).toEqual([1, 2]);
  });

  it('knows nothing, and so refuses no version, when no source named one', () => {
    const none = withVersions([], null);
    expect(knownVersions(none)).toEqual([]);
    expect(isUnknownVersion(none, 9)).toBe(false);
    expect(isUnknownVersion(withVersions([1], 1), null)).toBe(false);
  });
});
