drop table atc.stream_tickets;
alter table atc.api_keys drop constraint api_keys_name_key;
alter table atc.api_keys drop column expires_at;
alter table atc.api_keys drop column prefix;
