// Users, role grants, org units, tokens, devices' revocation and the audit log.
export interface AccountStore {}
