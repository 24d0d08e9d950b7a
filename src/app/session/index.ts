// What the rest of the app imports from the session: the signals, the user's org units, the
// gate that App.tsx wraps around the screens, the account section and the controller.
export { currentUser, session } from './state.ts';
export { findOrgUnit, grantedUnitLabels, homeUnits, mediatorName, orgUnitLabel, writableOrgUnits } from './org-units.ts';
export { SessionGate } from './SessionGate.tsx';
export { AccountMenu } from './AccountMenu.tsx';
