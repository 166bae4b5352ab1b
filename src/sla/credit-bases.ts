/**
 * Credit bases as data: for each catalog SLA, exactly which charges the credit percentage (or, for Route 53, the
 * days of credit) applies to, in Cost Explorer terms, with the SLA sentence it comes from.
 *
 * Three layers, all pure:
 * - {@link COUNTED_RECORD_TYPES}: which Cost Explorer charge types (dimension RECORD_TYPE) are "charges paid" for a
 *   service at all — usage and the recurring reservation fee; never tax, credits, refunds, support fees or one-time
 *   fees (Reserved Instance / Savings Plans upfront fees, other out-of-cycle charges).
 * - {@link usageCategory}: a usage type (dimension USAGE_TYPE, e.g. `USE2-TimedStorage-SIA-ByteHrs`) → the part of
 *   a service it belongs to (an S3 storage class, Route 53 DNS queries, DynamoDB replicated writes), or null.
 * - {@link CREDIT_BASES} and {@link chargeBaseFor}: per SLA id, which of those parts count, in which Region(s).
 *
 * Savings Plans and Reserved Instances (decision, with its source). The SLAs credit a percentage of the "charges paid
 * by you" for the service, and the EC2 (Compute) SLA adds "excluding one-time payments such as upfront payments made
 * for Reserved Instances" (https://aws.amazon.com/compute/sla/historical/, May 5, 2022). An upfront payment is only a
 * charge of its own on the cash bill, so the SLA reads the bill as billed: the base is the month's UnblendedCost of
 * the service's lines, not an amortised view (amortising would spread the excluded upfront payment back into the
 * usage). On that bill:
 * - On-Demand usage counts at its price (record type Usage).
 * - RI-covered usage costs $0 on its own line (DiscountedUsage); what is paid for it every month is the recurring
 *   reservation fee of Partial/No Upfront RIs, a charge of the service's own ("When you purchase a Partial Upfront or
 *   No Upfront Reserved Instance from AWS, you pay a recurring charge in exchange for a lower rate",
 *   https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create-filters.html): it counts. The upfront
 *   reservation fee does not.
 * - Savings-Plans-covered usage appears at On-Demand rates (SavingsPlanCoveredUsage) and is cancelled on the same
 *   service by SavingsPlanNegation; the commitment itself is billed under the Savings Plans service, not under the
 *   service the SLA names. Both lines are left out (they net to $0 for the service), so covered usage counts at $0:
 *   a known under-estimate for Savings Plans customers, chosen over claiming a share of a commitment the SLA does not
 *   name (and whose amortised upfront part it excludes).
 * Negotiated discounts shown as their own record types (EDP, private pricing) are not subtracted: UnblendedCost is
 * the list price as billed; NetUnblendedCost needs the management account's permission in member accounts.
 */

/** The Cost Explorer RECORD_TYPE values counted as charges paid for a service. */
export const COUNTED_RECORD_TYPES = ['Usage', 'DiscountedUsage', 'Recurring reservation fee', 'RIFee'] as const;

/**
 * Every RECORD_TYPE value a spend file may name (Cost Explorer's values, matched case-insensitively), with whether it
 * counts. Anything else in a spend file is an error rather than a guess.
 */
export const KNOWN_RECORD_TYPES: Readonly<Record<string, boolean>> = {
  Usage: true,
  DiscountedUsage: true,
  'Recurring reservation fee': true,
  RIFee: true,
  'Upfront reservation fee': false,
  Fee: false,
  Tax: false,
  Credit: false,
  Refund: false,
  Support: false,
  'Support fee': false,
  SavingsPlanCoveredUsage: false,
  SavingsPlanNegation: false,
  SavingsPlanRecurringFee: false,
  SavingsPlanUpfrontFee: false,
  'Other out-of-cycle charges': false,
  'Enterprise Discount Program Discount': false,
  'Bundled Discount': false,
  'Private Rate Card Discount': false,
  'Distributor Discount': false,
};

const RECORD_TYPE_BY_LOWER = new Map(Object.keys(KNOWN_RECORD_TYPES).map((k) => [k.toLowerCase(), k]));

/** The canonical spelling of a known record type ("tax" → "Tax"), or undefined. */
export function canonicalRecordType(value: string): string | undefined {
  return RECORD_TYPE_BY_LOWER.get(value.trim().toLowerCase());
}

/** True when a record type (any case) is counted in a credit base. */
export function isCountedRecordType(value: string): boolean {
  const canonical = canonicalRecordType(value);
  return canonical !== undefined && KNOWN_RECORD_TYPES[canonical] === true;
}

// ─────────────────────────────── usage categories ───────────────────────────────

/** S3 storage classes by their S3 API names (x-amz-storage-class), as a bucket's lifecycle shows them. */
export const S3_STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'GLACIER',
  'DEEP_ARCHIVE',
  'EXPRESS_ONEZONE',
  'INTELLIGENT_TIERING',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
] as const;
export type S3StorageClass = (typeof S3_STORAGE_CLASSES)[number];

/** A part of one service's charges that a credit base may count on its own. */
export type UsageCategory = `S3:${S3StorageClass}` | 'S3:OTHER_REQUESTS' | 'ROUTE53:QUERIES' | 'DYNAMODB:REPLICATED_WRITES';

/** Services whose credit bases need usage-type detail (the adapters fetch it for these only). */
export const DETAILED_SERVICES = ['S3', 'ROUTE53', 'DYNAMODB'] as const;

/** The class token S3 puts in a usage type (https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html). */
const S3_CLASS_TOKENS: ReadonlyArray<[string, S3StorageClass]> = [
  ['INT', 'INTELLIGENT_TIERING'],
  ['SIA', 'STANDARD_IA'],
  ['ZIA', 'ONEZONE_IA'],
  ['GIR', 'GLACIER_IR'],
  ['GDA', 'DEEP_ARCHIVE'],
  ['XZ', 'EXPRESS_ONEZONE'],
  ['RRS', 'REDUCED_REDUNDANCY'],
  ['GLACIER', 'GLACIER'],
  ['GlacierByteHrs', 'GLACIER'],
  ['GlacierStaging', 'GLACIER'],
  ['STANDARD', 'STANDARD'],
];

/** S3 Standard's own usage types, which carry no class token: storage, Tier 1/2 requests, S3 Select on Standard. */
const S3_STANDARD_RE = /(^|-)(TimedStorage-ByteHrs|Requests-Tier[12]|Select-(Scanned|Returned)-Bytes)$/;
/** Glacier Flexible Retrieval restores, lifecycle requests and early deletes, named without a class token. */
const S3_GLACIER_RE = /(^|-)(Requests-Tier[356]|EarlyDelete-ByteHrs|(Standard|Bulk|Expedited)-Retrieval-Bytes|S3G-DataTransfer-(In|Out)-Bytes)$/;
/** Requests that belong to no storage class (lifecycle transitions to IA classes, S3 Access Grants). */
const S3_OTHER_REQUESTS_RE = /(^|-)Requests-Tier[48]$/;
/** DynamoDB global tables' replicated writes, provisioned (rWCU) and on-demand (rWRU), both table classes. */
const DYNAMODB_REPLICATED_RE = /(^|-)(IA-)?(ReplWriteCapacityUnit-Hrs|ReplWriteRequestUnits)$/;

/**
 * The category of a usage type of a service (Health code), or null when it belongs to none (it still counts in a
 * whole-service base). Region prefixes (`USE2-`, `EU-`, …) are ignored: patterns match whole `-`-separated tokens.
 */
export function usageCategory(service: string, usageType: string): UsageCategory | null {
  const ut = usageType.trim();
  switch (service.toUpperCase()) {
    case 'S3': {
      const tokens = ut.split('-');
      for (const [token, storageClass] of S3_CLASS_TOKENS) if (tokens.includes(token)) return `S3:${storageClass}`;
      if (S3_STANDARD_RE.test(ut)) return 'S3:STANDARD';
      if (S3_GLACIER_RE.test(ut)) return 'S3:GLACIER';
      if (S3_OTHER_REQUESTS_RE.test(ut)) return 'S3:OTHER_REQUESTS';
      return null; // data transfer, tags, inventory, analytics, replication, Storage Lens, Tables…: no class
    }
    case 'ROUTE53': {
      // Resolver endpoints and DNS Firewall are Route 53 charges too, but not the DNS query service of the SLA.
      if (/Resolver|Firewall/i.test(ut)) return null;
      // DNS query charges: DNS-Queries, LBR-Queries, Geo-Queries, Cidr-Queries, Intra-AWS-DNS-Queries… (last token).
      const tokens = ut.split('-');
      return tokens.length > 1 && tokens[tokens.length - 1] === 'Queries' ? 'ROUTE53:QUERIES' : null;
    }
    case 'DYNAMODB':
      return DYNAMODB_REPLICATED_RE.test(ut) ? 'DYNAMODB:REPLICATED_WRITES' : null;
    default:
      return null;
  }
}

// ─────────────────────────────── bases per SLA ───────────────────────────────

/** What a claim's charges are, as the spend port is asked for them. Plain data (it keys a memo). */
export interface ChargeBase {
  /** Every Region of the service (global services) instead of the affected Region. */
  allRegions: boolean;
  /** Only these parts of the service's usage count; null = all of the service's counted charges. */
  categories: readonly UsageCategory[] | null;
  /** Also these parts of the service's usage in these other Regions (DynamoDB global tables' replicas). */
  replicas?: { regions: readonly string[]; categories: readonly UsageCategory[] };
}

export interface CreditBaseDefinition {
  /** Where the charges are taken. */
  scope: 'region' | 'all-regions' | 'resource';
  /** Parts of the service counted; null = the service's whole usage (after {@link COUNTED_RECORD_TYPES}). */
  categories: readonly UsageCategory[] | null;
  /** Parts of the service counted in the replica Regions the contract names (DynamoDB global tables). */
  replicaCategories?: readonly UsageCategory[];
  /** Storage classes the contract may narrow the base to (S3). */
  storageClasses?: readonly S3StorageClass[];
  /** What is counted, in words (README, `slas`). */
  counted: string;
  /** What is not, in words. */
  excluded: string;
  /** The SLA page and its sentence about the base. */
  source: { url: string; sentence: string };
}

const ONLY_USAGE = 'tax, credits, refunds, support fees and one-time fees (upfront reservation / Savings Plans fees)';
const GENERIC_SENTENCE = (service: string) =>
  `Service Credits are calculated as a percentage of the total charges paid by you for ${service} in the affected AWS Region for the monthly billing cycle.`;

const S3_STANDARD_CLASSES: readonly S3StorageClass[] = ['STANDARD', 'REDUCED_REDUNDANCY', 'GLACIER', 'DEEP_ARCHIVE'];
const S3_IA_CLASSES: readonly S3StorageClass[] = ['INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR'];
const S3_SENTENCE =
  'Service Credits are calculated as a percentage of the total charges paid by you for the applicable Amazon S3 storage class in the AWS Region (or, for S3 Express One Zone, the AWS Availability Zone (AZ)) affected for the billing cycle in which the Monthly Uptime Percentage fell within the ranges set forth in the table below.';

function region(service: string, url: string, sentence = GENERIC_SENTENCE(service)): CreditBaseDefinition {
  return {
    scope: 'region',
    categories: null,
    counted: `${service} usage charges in the affected Region (On-Demand usage and recurring reservation fees)`,
    excluded: `${ONLY_USAGE}; Savings-Plans-covered usage counts at $0 (its commitment is billed under Savings Plans)`,
    source: { url, sentence },
  };
}

function resource(what: string, url: string, sentence: string): CreditBaseDefinition {
  return {
    scope: 'resource',
    categories: null,
    counted: `the usage charges of the affected ${what}`,
    excluded: ONLY_USAGE,
    source: { url, sentence },
  };
}

const COMPUTE_URL = 'https://aws.amazon.com/compute/sla/historical/';
const COMPUTE_SENTENCE =
  'Service Credits are calculated as a percentage of the total charges paid by you (excluding one-time payments such as upfront payments made for Reserved Instances) for the individual Included Service in the affected AWS region for the monthly billing cycle in which the Unavailability occurred.';

/** One definition per catalog SLA id (tests/unit/credit-bases.test.ts checks the ids match the catalog). */
export const CREDIT_BASES: Readonly<Record<string, CreditBaseDefinition>> = {
  'ec2-region': { ...region('Amazon EC2', COMPUTE_URL, COMPUTE_SENTENCE), excluded: `${ONLY_USAGE}, Reserved Instance upfront payments in particular (the SLA says so); Savings-Plans-covered usage counts at $0` },
  'ec2-instance': resource('instance', COMPUTE_URL, 'Charges paid for the affected Single EC2 Instance, excluding one-time payments such as upfront payments made for Reserved Instances.'),
  'ebs-region': region('Amazon EBS', 'https://aws.amazon.com/ebs/sla/'),
  'ebs-volume': resource('volume', 'https://aws.amazon.com/ebs/sla/', 'Charges paid for the affected Single EBS Volume for the monthly billing cycle.'),
  ecs: region('Amazon ECS', 'https://aws.amazon.com/ecs/sla/'),
  fargate: region('AWS Fargate', 'https://aws.amazon.com/fargate/sla/'),
  's3-standard': {
    scope: 'region',
    categories: [...S3_STANDARD_CLASSES.map((c) => `S3:${c}` as const), 'S3:OTHER_REQUESTS'],
    storageClasses: S3_STANDARD_CLASSES,
    counted:
      'the storage, request, retrieval and early-delete charges of S3 Standard, Reduced Redundancy, Glacier Flexible Retrieval and Glacier Deep Archive in the affected Region, plus requests of no storage class (lifecycle transitions); a contract may narrow it with storageClasses',
    excluded: `S3 Intelligent-Tiering, Standard-IA, One Zone-IA and Glacier Instant Retrieval (the s3-infrequent-access SLA); S3 Express One Zone (its base is one Availability Zone, which Cost Explorer's Region totals cannot isolate); charges of no storage class (data transfer, tags, inventory, analytics, replication, Storage Lens); ${ONLY_USAGE}`,
    source: { url: 'https://aws.amazon.com/s3/sla/', sentence: S3_SENTENCE },
  },
  's3-infrequent-access': {
    scope: 'region',
    categories: S3_IA_CLASSES.map((c) => `S3:${c}` as const),
    storageClasses: S3_IA_CLASSES,
    counted:
      'the storage, request, retrieval, monitoring and early-delete charges of S3 Intelligent-Tiering, Standard-IA, One Zone-IA and Glacier Instant Retrieval in the affected Region; a contract may narrow it with storageClasses',
    excluded: `the other storage classes; charges of no storage class (data transfer, tags, inventory, analytics, replication); ${ONLY_USAGE}`,
    source: { url: 'https://aws.amazon.com/s3/sla/', sentence: S3_SENTENCE },
  },
  dynamodb: region('Amazon DynamoDB', 'https://aws.amazon.com/dynamodb/sla/'),
  'dynamodb-global': {
    ...region('Amazon DynamoDB', 'https://aws.amazon.com/dynamodb/sla/'),
    replicaCategories: ['DYNAMODB:REPLICATED_WRITES'],
    counted:
      'DynamoDB usage charges in the affected Region plus the replicated-write charges (rWCU-hours and rWRUs, usage types *-ReplWriteCapacityUnit-Hrs / *-ReplWriteRequestUnits) in the other Regions of the global table (the contract\'s replicaRegions)',
    source: {
      url: 'https://aws.amazon.com/dynamodb/sla/',
      sentence:
        'Service Credits are calculated as a percentage of the total charges paid by you for DynamoDB in the affected AWS Region, plus, if the Global Tables SLA applies, the Global Tables charges for the corresponding replica tables in the other AWS Regions (page not readable; wording from dynobase.dev, see the catalog entry).',
    },
  },
  lambda: region('AWS Lambda', 'https://aws.amazon.com/lambda/sla/'),
  'rds-multi-az': resource('Multi-AZ DB Instance or Cluster', 'https://aws.amazon.com/rds/sla/', 'Charges paid for the Multi-AZ DB Instances or Multi-AZ DB Clusters that did not meet the SLA.'),
  'rds-single-az': resource('Single-DB Instance', 'https://aws.amazon.com/rds/sla/', 'Charges paid for the Single-DB Instances that did not meet the Single-DB Instance SLA.'),
  'aurora-multi-az': resource('Multi-AZ Cluster', 'https://aws.amazon.com/rds/aurora/sla/', 'Charges paid by you for Amazon Aurora for the monthly billing cycle in which the applicable SLA was not met.'),
  'aurora-single-az': resource('Aurora instance', 'https://aws.amazon.com/rds/aurora/sla/', 'Charges paid by you for Amazon Aurora for the monthly billing cycle in which the applicable SLA was not met.'),
  'elb-multi-az': resource('load balancer', 'https://aws.amazon.com/elasticloadbalancing/sla/', 'Charges paid for the affected Multi-AZ Load Balancer for the monthly billing cycle.'),
  'elb-single': resource('load balancer', 'https://aws.amazon.com/elasticloadbalancing/sla/', 'Charges paid for the affected Single Load Balancer for the monthly billing cycle.'),
  'api-gateway': region('Amazon API Gateway', 'https://aws.amazon.com/api-gateway/sla/'),
  cloudfront: {
    scope: 'all-regions',
    categories: null,
    counted: 'Amazon CloudFront usage charges in every Region (CloudFront is global)',
    excluded: ONLY_USAGE,
    source: { url: 'https://aws.amazon.com/cloudfront/sla/', sentence: 'Total charges paid for Amazon CloudFront for the billing cycle in which the error occurred (inferred, see the catalog entry).' },
  },
  eks: resource('EKS cluster', 'https://aws.amazon.com/eks/sla/', 'Charges paid for the EKS Cluster(s) that did not meet the Monthly Uptime Percentage commitment.'),
  sqs: region('Amazon SQS', 'https://aws.amazon.com/messaging/sla/'),
  sns: region('Amazon SNS', 'https://aws.amazon.com/messaging/sla/'),
  'elasticache-multi-az': resource('Serverless or Multi-AZ configuration', 'https://aws.amazon.com/elasticache/sla/', 'Total charges paid for the affected Serverless or Multi-AZ configuration.'),
  route53: {
    scope: 'all-regions',
    categories: ['ROUTE53:QUERIES'],
    counted:
      'the month\'s Route 53 DNS query charges (usage types *-Queries: DNS-Queries, LBR-Queries, Geo-Queries, …), all Regions; the engine credits them ÷ days in the month × the days of credit',
    excluded: `hosted zones, health checks, traffic policies, Resolver endpoints and DNS Firewall; ${ONLY_USAGE}`,
    source: {
      url: 'https://aws.amazon.com/route53/sla/',
      sentence: '"1 day Service Credit" means your average daily Route 53 query charges (quoted from the SLA by iret.media and 5net.com; see the catalog entry).',
    },
  },
};

/** Contract facts a base may need: the bucket classes of an S3 coverage, the Regions of a global table. */
export interface CreditBaseOptions {
  storageClasses?: readonly string[];
  replicaRegions?: readonly string[];
}

/**
 * The charges a claim of `sla` in `region` is computed on. `creditBase` comes from the SLA in force (a negotiated
 * override may change it); the parts counted come from the SLA id. An id without a definition (not expected: the
 * contract only accepts catalog ids) falls back to the whole service.
 */
export function chargeBaseFor(sla: { id: string; creditBase: string }, region: string, options: CreditBaseOptions = {}): ChargeBase {
  const definition = CREDIT_BASES[sla.id];
  const allRegions = sla.creditBase === 'service-global';
  if (!definition || sla.creditBase === 'resource') return { allRegions, categories: null };
  let categories = definition.categories;
  if (categories && definition.storageClasses && options.storageClasses?.length) {
    const chosen = new Set(options.storageClasses);
    categories = definition.storageClasses.filter((c) => chosen.has(c)).map((c) => `S3:${c}` as const);
  }
  const base: ChargeBase = { allRegions, categories };
  if (definition.replicaCategories && options.replicaRegions?.length) {
    const regions = [...new Set(options.replicaRegions)].filter((r) => r !== region).sort();
    if (regions.length > 0) base.replicas = { regions, categories: definition.replicaCategories };
  }
  return base;
}
