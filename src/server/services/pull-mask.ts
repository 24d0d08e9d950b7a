// What pull hands to a caller who does not see personal data of a unit (office and admin,
// design.md "Roles and scope"): the same events with parties' names, phones, ID numbers and
// addresses masked, so that a desk browser that syncs never stores them in the clear. Field
// roles get their own units' events untouched (they need them on the doorstep). A masked
// event carries `masked: true`: the shared schema then accepts its masked phones and ID
// numbers (events.ts, MaskedParty) and refuses it on push, so the copy is valid by construction.
import type { StoredEvent } from '#shared/events';
import { maskName, maskParty } from '#shared/mask';

function maskPersonalData(event: StoredEvent): StoredEvent {
  switch (event.type) {
    case 'case.opened':
      return { ...event, masked: true, data: { ...event.data, parties: event.data.parties.map(maskParty) } };
    case 'case.updated': {
      const parties = event.data.changes.parties;
      return parties ? { ...event, masked: true, data: { ...event.data, changes: { ...event.data.changes, parties: parties.map(maskParty) } } } : event;
    }
    case 'case.followup':
      return event.data.party !== undefined ? { ...event, masked: true, data: { ...event.data, party: maskName(event.data.party) } } : event;
    case 'case.signed':
      return { ...event, masked: true, data: { signatures: event.data.signatures.map((s) => (s.role === 'party' ? { ...s, name: maskName(s.name) } : s)) } };
    default:
      return event;
  }
}

/** Events as this caller may see them. */
export function eventsForScope(events: StoredEvent[], seesPersonalData: (orgUnitId: string, event: StoredEvent) => boolean): StoredEvent[] {
  return events.map((e) => (seesPersonalData(e.orgUnitId, e) ? e : maskPersonalData(e)));
}
