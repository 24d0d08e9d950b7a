// Events, quarantine, projections, attachments, devices: the sync side of the store.
export interface EventStore {}
