// When the server took a record's latest event, for RecordState in a detail: as this phone saw
// it upload, else the server's receipt of a pulled one. Its own chunk: it reads the record's
// events and the sync log, which a list (one badge per row, no time) does not load.
import { dateTimeOf } from '../format.ts';
import { useStorageQuery } from '../hooks/use-storage-query.ts';
import { getEvents } from '../storage/index.ts';
import { uploadedAt as uploadedHere } from '../sync/log.ts';

async function uploadedAtOf(subjectId: string): Promise<string | null> {
  let latest = uploadedHere(subjectId) ?? Number.NEGATIVE_INFINITY;
  for (const e of (await getEvents(subjectId)) as { receivedAt?: string }[]) if (e.receivedAt) latest = Math.max(latest, Date.parse(e.receivedAt));
  return Number.isFinite(latest) ? new Date(latest).toISOString() : null;
}

export function RecordUploadedAt(props: { subjectId: string }) {
  const { data: uploadedAt } = useStorageQuery(() => uploadedAtOf(props.subjectId), [props.subjectId]);
  return uploadedAt ? <>{` ${dateTimeOf(uploadedAt)}`}</> : null;
}
