/**
 * Leases that keep a job every node schedules (the harvest, the related papers, pages ahead) to
 * one node at a time: what services/job-lease.ts takes and releases. Contract:
 * test/contracts/job-leases.contract.ts.
 */
export interface JobLeases {
  /**
   * Takes the named lease for `seconds` when nobody holds it or the holder's time has run out,
   * or extends it when `holder` holds it already; true when `holder` holds it now. Timed by the
   * database's clock, so the nodes' clocks need not agree. Changes no data version.
   */
  takeLease(name: string, holder: string, seconds: number): Promise<boolean>;
  /** Gives the named lease up, if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /**
   * The seconds left until the named lease runs out, by the database's clock: 0 when it has run
   * out, null when nobody holds it. What a node that found the lease held waits before trying
   * again (the holder may have crashed).
   */
  leaseLeft(name: string): Promise<number | null>;
}
