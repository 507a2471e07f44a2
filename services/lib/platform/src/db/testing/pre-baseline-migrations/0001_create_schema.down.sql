-- Reverting the first migration removes the schema and everything left in it.
drop schema if exists atc cascade;
