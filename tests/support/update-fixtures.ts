// One convention for every golden-fixture harness:
//
//   UPDATE_FIXTURES=1 pnpm test:unit <word>
//
// rewrites the expected files of the matching tests from the current output instead of comparing
// (review the diff before committing). Any other value, or none, compares.
export const updatingFixtures = process.env.UPDATE_FIXTURES === '1';
