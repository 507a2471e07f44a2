drop table atc.schema_functions;
