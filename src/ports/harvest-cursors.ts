/**
 * Where each harvest source stopped: what services/harvest.service.ts reads to resume. Cursors
 * are written with the papers they yielded (PaperTx.setCursor), so that both are kept or neither.
 * Contract: test/contracts/harvest-cursors.contract.ts.
 */
export interface HarvestCursors {
  /** The cursor last set for `source`; null when none was. */
  getCursor(source: string): Promise<unknown>;
}
