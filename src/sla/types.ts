/**
 * The SLA catalog is data: one `SlaDefinition` per AWS SLA (or per negotiated contract term).
 * Percentages are decimal strings ("99.99") so that tier boundaries can be compared exactly,
 * in integer arithmetic, never through binary floating point.
 */

/** How the provider measures uptime for this SLA. */
export type UptimeMeasurement =
  /** Percentage of minutes in the month in which the service/resource was "Unavailable". */
  | 'minutes-unavailable'
  /** 100 % minus the average of the 5-minute Error Rates (or the average 5-minute Availability). */
  | 'error-rate-5min'
  /** Route 53: 100 % available; the credit is a number of days of average daily query charges. */
  | 'days-of-charges';

/** "Less than `below` % but equal to or greater than `atLeast` % → `creditPercent` %". */
export interface PercentTier {
  /** Decimal string; the tier applies when uptime < below. */
  below: string;
  /** Decimal string or null (no lower bound); the tier applies when uptime >= atLeast. */
  atLeast: string | null;
  /** Integer percentage of the charges credited. */
  creditPercent: number;
}

/** Route 53 style tier: unavailability of `minMinutes`..`maxMinutes` (inclusive, null = no upper bound) → `days`. */
export interface DayTier {
  minMinutes: number;
  maxMinutes: number | null;
  days: number;
}

/** What the credit percentage is a percentage of. */
export type CreditBase =
  /** The month's charges for the service in the affected Region. */
  | 'service-region'
  /** The month's charges for the affected resource (instance, volume, DB instance, load balancer, …). */
  | 'resource'
  /** The month's charges for the service across all Regions (global services). */
  | 'service-global';

/**
 * A part of an SLA's terms. `commitment`, `tiers` (percent or day tiers) and `creditBase` decide the money: a claim
 * is confirmed only when all three were read on the AWS page. `measurement` (the Unavailable / Error Rate wording)
 * and `versionDate` (the page's "Last Updated" date) are listed too, but do not by themselves unconfirm a claim.
 */
export type SlaTermPart = 'commitment' | 'tiers' | 'creditBase' | 'measurement' | 'versionDate';

/** One part that could not be read on the AWS page, and where the value comes from instead. */
export interface UnconfirmedPart {
  part: SlaTermPart;
  detail: string;
}

export interface SlaSource {
  url: string;
  /** "Last updated" date printed on the SLA page, YYYY-MM-DD, or null when it could not be read. */
  lastUpdated: string | null;
  /** True when commitment, tiers and credit base were all confirmed on the AWS page itself (see `unconfirmed`). */
  verified: boolean;
  /** Which figures could not be confirmed, and where they come from instead. */
  notes?: string;
  /**
   * Exactly which parts are unconfirmed (every catalog entry lists them, [] when none). Absent on contract overrides,
   * whose terms the contract itself confirms.
   */
  unconfirmed?: UnconfirmedPart[];
}

export interface ClaimRequirements {
  /** Subject line of the AWS Support case. */
  subject: string;
  /** What the claim must contain, in the SLA's words. */
  evidence: string[];
}

export interface SlaDefinition {
  /** Stable id, e.g. `ec2-region`. */
  id: string;
  name: string;
  /** AWS Health service codes (`detail.service`) this SLA covers, e.g. ["EC2"]. */
  services: string[];
  /** Whether the SLA is measured per Region (service-level) or per resource. */
  scope: 'region' | 'resource';
  /** Monthly uptime commitment as a decimal string, e.g. "99.99". */
  commitmentPercent: string;
  measurement: UptimeMeasurement;
  /** Plain-language definition of "Unavailable" / "Error Rate" from the SLA page. */
  measurementText: string;
  /** Percent tiers, highest uptime first. Empty for `days-of-charges`. */
  tiers: PercentTier[];
  /** Day tiers for `days-of-charges` SLAs. */
  dayTiers?: DayTier[];
  creditBase: CreditBase;
  /** Plain-language description of the credit base. */
  creditBaseText: string;
  source: SlaSource;
  claim: ClaimRequirements;
}
