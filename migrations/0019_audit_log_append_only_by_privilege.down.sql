-- 0019 only took back privileges no role but the owner should hold; its down gives none back
-- (`atc db roles --apply` states the grants the roles should have).
do $$ begin end $$;
