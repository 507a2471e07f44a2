drop function atc.append_audit(text, text, text, text, jsonb);
drop function atc.audit_hash(text, bigint, text, text, text, text, jsonb, timestamptz);
