-- Acknowledgements of 重大矛盾纠纷 alerts: an alert is the event that flagged a case 重大
-- (raised_event_id); it stays on the office's screen until one row here names it, with who
-- acknowledged it and when. A case unflagged and flagged again raises a new alert.
CREATE TABLE major_acks (
  subject_id TEXT NOT NULL,
  raised_event_id TEXT NOT NULL,
  acked_by TEXT NOT NULL,
  acked_by_name TEXT NOT NULL,
  acked_at TEXT NOT NULL,
  PRIMARY KEY (subject_id, raised_event_id)
);
