// What the rest of the app imports from the session: the signals, the user's org units, the
// gate that App.tsx wraps around the screens, the account section and the controller.
export { sessionController } from './instance.ts';
export { currentUser, gate, session, type Session } from './state.ts';
export { findOrgUnit, grantedUnitLabels, orgUnitLabel, writableOrgUnits, type WritableUnit } from './org-units.ts';
export { SessionGate } from './SessionGate.tsx';
export { AccountMenu } from './AccountMenu.tsx';
