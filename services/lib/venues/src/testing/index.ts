// Test doubles of @atc/venues for other packages' tests: a journaling in-memory venue with
// injectable failures. Never imported by production code.
export { TestVenue, type TestVenueFailurePoint } from './test-venue';
