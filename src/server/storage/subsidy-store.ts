// 重大矛盾纠纷 acknowledgements and 以案定补 rules and approvals: the office-side tables of
// routes/major.ts and routes/subsidy.ts (the cases themselves are events, read through the
// office store). One implementation per database: sqlite/subsidy.ts, postgres/subsidy.ts.

export interface MajorAck {
  subjectId: string;
  raisedEventId: string;
  ackedBy: string;
  ackedByName: string;
  ackedAt: string;
}

export interface StoredSubsidyRules {
  orgUnitId: string;
  /** JSON of SubsidyRules. */
  rules: string;
  updatedBy: string;
  updatedByName: string;
  updatedAt: string;
}

export interface SubsidyApproval {
  orgUnitId: string;
  year: number;
  month: number;
  approvedBy: string;
  approvedByName: string;
  approvedAt: string;
  /** JSON of the SubsidyLedger as approved. */
  ledger: string;
  /** JSON array of the subject ids it paid. */
  paid: string;
}

export interface SubsidyStore {
  /** 'duplicate' when this alert was already acknowledged (the first acknowledgement stays). */
  insertMajorAck(ack: MajorAck): Promise<'ok' | 'duplicate'>;
  listMajorAcks(subjectIds: readonly string[]): Promise<MajorAck[]>;
  /** The rules of these units that have some. */
  subsidyRules(orgUnitIds: readonly string[]): Promise<StoredSubsidyRules[]>;
  putSubsidyRules(rules: StoredSubsidyRules): Promise<void>;
  /** 'duplicate' when the month is already approved (nothing is written). */
  insertSubsidyApproval(approval: SubsidyApproval): Promise<'ok' | 'duplicate'>;
  /** The approvals of any of these units, by year and month. */
  listSubsidyApprovals(orgUnitIds: readonly string[]): Promise<SubsidyApproval[]>;
}
