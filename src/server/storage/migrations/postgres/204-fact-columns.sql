-- The case projection's statistics columns become exactly the shared facts
-- (src/shared/stats/facts.ts): amounts in whole fen instead of floating yuan, and the keys the
-- summary counts by (source key, channel, with agreement, fully performed) instead of the raw
-- fields each reader re-derived them from (agreement_form stays: the office lists filter by
-- it). Existing rows are converted from the old columns, which hold everything the facts are
-- made of.
DROP INDEX case_projection_closed;
ALTER TABLE case_projection ADD COLUMN source_key TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE case_projection ADD COLUMN channel TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE case_projection ADD COLUMN with_agreement INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_projection ADD COLUMN performed_full INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_projection ADD COLUMN amount_cents BIGINT NOT NULL DEFAULT 0;
UPDATE case_projection SET
  source_key = CASE WHEN source IS NULL THEN 'unknown' WHEN source = 'referral' THEN 'referral:' || coalesce(referrer, 'other') ELSE source END,
  channel = CASE WHEN source IS NULL THEN 'unknown' WHEN source <> 'referral' THEN source
    WHEN referrer IN ('court', 'police', 'petition', 'reconsideration') THEN referrer ELSE 'other_referral' END,
  with_agreement = CASE WHEN agreement_form IS NOT NULL AND agreement_form <> 'none' THEN 1 ELSE 0 END,
  performed_full = CASE WHEN performed = 'full' THEN 1 ELSE 0 END,
  -- Math.round(yuan * 100) of the fold's value (amounts are never negative).
  amount_cents = floor(amount_involved * 100 + 0.5)::bigint,
  dispute_type = coalesce(dispute_type, 'unknown');
ALTER TABLE case_projection DROP COLUMN source;
ALTER TABLE case_projection DROP COLUMN referrer;
ALTER TABLE case_projection DROP COLUMN performed;
ALTER TABLE case_projection DROP COLUMN amount_involved;
CREATE INDEX case_projection_closed ON case_projection(closed_year, voided, org_unit_id, closed_month, result, dispute_type, source_key, channel,
  with_agreement, performed_full, people_involved, amount_cents);
