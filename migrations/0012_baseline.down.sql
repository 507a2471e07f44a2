-- Reverting the baseline removes the schema and everything in it, as reverting 0001 did.
drop schema if exists atc cascade;
