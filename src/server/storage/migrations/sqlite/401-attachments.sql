-- Photos: who uploaded which one from which device (the read rule and the sweep of uploads no
-- event names), and the per-day usage counters of the budgets (storage/attachment-store.ts).
CREATE TABLE attachment_uploads (
  sha256 TEXT NOT NULL,
  user_id TEXT NOT NULL,
  device_key TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_at TEXT NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
CREATE INDEX attachment_uploads_at ON attachment_uploads(uploaded_at);

-- Photos named before uploads were recorded: their events' authors count as having uploaded them.
INSERT INTO attachment_uploads (sha256, user_id, device_key, size, uploaded_at)
SELECT r.sha256, e.author_id, 'device:' || MIN(e.device_id), 0, MIN(e.received_at)
FROM attachment_refs r JOIN events e ON e.id = r.event_id
GROUP BY r.sha256, e.author_id;

CREATE TABLE usage_counters (
  subject TEXT NOT NULL,
  day TEXT NOT NULL,
  events INTEGER NOT NULL DEFAULT 0,
  upload_bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (subject, day)
);
