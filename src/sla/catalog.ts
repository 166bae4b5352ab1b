/**
 * The AWS SLA catalog, as data.
 *
 * One entry per published AWS SLA commitment (an SLA page with two commitments — e.g. Region-Level and
 * Instance-Level — yields two entries). Figures were checked against the AWS SLA pages where a copy of
 * the page could be read; `source.verified` says whether the commitment AND every tier (thresholds and
 * credit percentages) were read on the AWS page itself, and `source.notes` says exactly what could not
 * be confirmed and where the value comes from instead.
 *
 * Tiers are written highest uptime first, as on the AWS pages:
 * "less than `below` % but equal to or greater than `atLeast` % → `creditPercent` %".
 *
 * Invariants are enforced by `validateCatalog()` in ./index.ts and by tests/unit/sla-catalog.test.ts.
 */
import type { ClaimRequirements, PercentTier, SlaDefinition } from './types.ts';

/** AWS's standard subject line for an SLA credit case (Support Center). */
const SUBJECT = 'SLA Credit Request';

/** Common wording on the AWS SLA pages about request logs (redaction clause included). */
const REQUEST_LOGS =
  'your Request logs that document the errors and corroborate your claimed outage (any confidential or sensitive information in these logs should be removed or replaced with asterisks)';

/** Most non-compute SLAs: 10 % / 25 % / 100 %. */
function tiers10_25_100(commitment: string): PercentTier[] {
  return [
    { below: commitment, atLeast: '99.0', creditPercent: 10 },
    { below: '99.0', atLeast: '95.0', creditPercent: 25 },
    { below: '95.0', atLeast: null, creditPercent: 100 },
  ];
}

/** EC2, EBS, ELB, ECS/Fargate family: 10 % / 30 % / 100 %. */
function tiers10_30_100(commitment: string): PercentTier[] {
  return [
    { below: commitment, atLeast: '99.0', creditPercent: 10 },
    { below: '99.0', atLeast: '95.0', creditPercent: 30 },
    { below: '95.0', atLeast: null, creditPercent: 100 },
  ];
}

function claim(evidence: string[], subject: string = SUBJECT): ClaimRequirements {
  return { subject, evidence };
}

const CATALOG: SlaDefinition[] = [
  // ───────────────────────────── Compute (EC2) ─────────────────────────────
  {
    id: 'ec2-region',
    name: 'Amazon EC2 — Region-Level SLA',
    services: ['EC2'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'Applies only when all running instances are deployed concurrently across two or more AZs in the same Region (or at least two Regions if the Region has only one AZ). Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which Amazon EC2 was "Region Unavailable": all of your running instances in two or more AZs concurrently have no external connectivity. Failed launches, API errors and latency are not Unavailability.',
    tiers: tiers10_30_100('99.99'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for Amazon EC2 in the affected AWS Region for the monthly billing cycle in which the Unavailability occurred, excluding one-time payments such as upfront payments made for Reserved Instances.',
    source: {
      url: 'https://aws.amazon.com/compute/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The current aws.amazon.com/compute/sla/ page could not be read (only its prior version, aws.amazon.com/compute/sla/historical/ "Last Updated: May 5, 2022", which confirms the 99.99 % Region-Level commitment, the "less than 99.99 % but equal to or greater than 99.0 % → 10 %" first tier and the credit base excluding Reserved Instance upfront payments). The 30 % (<99.0 %) and 100 % (<95.0 %) tiers come from verbatim copies of the current EC2 text (Hugging Face dataset marmolpen3/sla_example) and dev-toolbox.tech; the current page date ("May 25, 2022") is from third-party notes only, so lastUpdated is null. Older versions: AWS\'s prior-version pages read for this work are catalogued in src/sla/versions.ts (Compute SLA of February 12, 2018 and May 5, 2022); an undated older EC2 SLA is still served in Japanese at http://aws.amazon.com/jp/ec2/sla/ (EC2 and EBS, monthly uptime "99.95%以上", measured on "地域(Region)使用不能"), not catalogued because its dates could not be read.',
      unconfirmed: [
        { part: 'commitment', detail: "The current aws.amazon.com/compute/sla/ page could not be read; 99.99 % is read on AWS's prior version (compute/sla/historical/, May 5, 2022) and in third-party copies of the current text." },
        { part: 'tiers', detail: "Only the first row (<99.99 % ≥99.0 % → 10 %) is in the readable AWS copy; 30 % and 100 % come from third-party copies (Hugging Face marmolpen3/sla_example)." },
        { part: 'creditBase', detail: "The Service Credits sentence of the current page could not be read; the wording (Region charges, excluding Reserved Instance upfront payments) is from copies of the earlier Compute SLA (consolica.com)." },
        { part: 'versionDate', detail: "The current page's Last Updated date could not be read (third-party notes say May 25, 2022)." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the instance IDs of the affected EC2 instances, running concurrently in two or more AZs',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'ec2-instance',
    name: 'Amazon EC2 — Instance-Level SLA',
    services: ['EC2'],
    scope: 'resource',
    commitmentPercent: '99.5',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each individual EC2 instance ("Single EC2 Instance"): Instance-Level Uptime Percentage = 100 % minus the percentage of minutes in the month in which the instance was "Unavailable", i.e. had no external connectivity.',
    tiers: tiers10_30_100('99.5'),
    creditBase: 'resource',
    creditBaseText:
      'Charges paid for the affected Single EC2 Instance for the monthly billing cycle in which the Unavailability occurred, excluding one-time payments such as upfront payments made for Reserved Instances.',
    source: {
      url: 'https://aws.amazon.com/compute/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The current compute/sla page could not be read. The 99.5 % Instance-Level commitment is confirmed only by third parties (dev-toolbox.tech, javadeveloper.io, the Hugging Face copy of the EC2 SLA text, which is cut off before the Instance-Level table); the tiers 10 % (<99.5 %), 30 % (<99.0 %), 100 % (<95.0 %) and the per-instance credit base come from the project research notes (aws-health-and-slas.md §3, marked VERIFY). The notes also mention an automatic no-charge rule for an instance Unavailable > 6 min in a clock hour, likewise unconfirmed and not modelled here.',
      unconfirmed: [
        { part: 'commitment', detail: "99.5 % comes from third parties (dev-toolbox.tech, javadeveloper.io); the AWS page could not be read." },
        { part: 'tiers', detail: "10 % / 30 % / 100 % come from the project research notes (VERIFY); no copy of the Instance-Level table was read." },
        { part: 'creditBase', detail: "The per-instance base comes from the project research notes." },
        { part: 'versionDate', detail: "The current page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the instance ID of each affected Single EC2 Instance',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── EBS ─────────────────────────────
  {
    id: 'ebs-region',
    name: 'Amazon EBS — Region-Level SLA',
    services: ['EBS'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'Applies when all running volumes are deployed concurrently across two or more AZs in the same Region (or at least two Regions if the Region has only one AZ). Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which Amazon EBS was Unavailable: all attached volumes in two or more AZs perform zero read-write IO, with pending IO in the queue.',
    tiers: tiers10_30_100('99.99'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for Amazon EBS in the affected AWS Region for the monthly billing cycle in which the Unavailability occurred.',
    source: {
      url: 'https://aws.amazon.com/ebs/sla/',
      lastUpdated: '2022-05-31',
      verified: false,
      notes:
        'Commitment and all three tiers read on the AWS page (copy at aws.amazon.com/de/ebs/sla/, "Last Updated: May 31, 2022"). The "zero read write IO, with pending IO in the queue" definition and the credit base wording were not in the readable part of the page; they come from the earlier Compute SLA wording (coffeescroll.com quote) and the project research notes.',
      unconfirmed: [
        { part: 'creditBase', detail: "The readable copy (aws.amazon.com/de/ebs/sla/, May 31, 2022) stops at the Service Credits heading; the Region-charges wording is the earlier Compute SLA's." },
        { part: 'measurement', detail: "The \"zero read-write IO, with pending IO in the queue\" definition is not in the readable part (coffeescroll.com quote, research notes)." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the volume IDs of the affected EBS volumes, deployed concurrently in two or more AZs',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'ebs-volume',
    name: 'Amazon EBS — Volume-Level SLA',
    services: ['EBS'],
    scope: 'resource',
    commitmentPercent: '99.9',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Amazon EBS volume ("Single EBS Volume"): Volume-Level Uptime Percentage = 100 % minus the percentage of minutes in the month in which the volume was Unavailable (performed zero read-write IO, with pending IO in the queue).',
    tiers: tiers10_30_100('99.9'),
    creditBase: 'resource',
    creditBaseText: 'Charges paid for the affected Single EBS Volume for the monthly billing cycle in which the Unavailability occurred.',
    source: {
      url: 'https://aws.amazon.com/ebs/sla/',
      lastUpdated: '2022-05-31',
      verified: false,
      notes:
        'Commitment and all three tiers read on the AWS page (copy at aws.amazon.com/de/ebs/sla/, "Last Updated: May 31, 2022"). The Unavailability definition and the per-volume credit base were not in the readable part of the page (project research notes).',
      unconfirmed: [
        { part: 'creditBase', detail: "The per-volume base is not in the readable part of the page (research notes)." },
        { part: 'measurement', detail: "The Unavailable definition is not in the readable part of the page (research notes)." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the volume ID of each affected Single EBS Volume',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Containers ─────────────────────────────
  {
    id: 'ecs',
    name: 'Amazon ECS — Multi-AZ (Region-Level) SLA',
    services: ['ECS'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'Applies when all running tasks are deployed concurrently across two or more AZs in the same Region. Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which Amazon ECS was Unavailable (all running tasks in two or more AZs concurrently have no external connectivity).',
    tiers: tiers10_30_100('99.99'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for Amazon ECS in the affected AWS Region for the monthly billing cycle in which the Unavailability occurred.',
    source: {
      url: 'https://aws.amazon.com/ecs/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'aws.amazon.com/ecs/sla/ could not be read. 99.99 % and 10/30/100 are the Region-Level figures of the Amazon Compute SLA that covered ECS until 2022 (aws.amazon.com/compute/sla/historical/, "May 5, 2022": commitment and first tier confirmed there, lower tiers truncated) ; nextsignal.io confirms 99.99 % Multi-AZ and 10 %…100 % but not the middle tier (25 or 30 %). ECS also has a 99.5 % Task-Level SLA (nextsignal.io) that is not catalogued. ECS Anywhere is a separate SLA (99.95 %, 10/30/100, aws.amazon.com/ecs/anywhere/sla/, May 5, 2022) and is not covered by this entry.',
      unconfirmed: [
        { part: 'commitment', detail: "aws.amazon.com/ecs/sla/ could not be read; 99.99 % is the Compute SLA's Region-Level figure that covered ECS (compute/sla/historical/, May 5, 2022)." },
        { part: 'tiers', detail: "10 % / 30 % / 100 % are the Compute SLA pattern; only the 10 % row was read on AWS's page, nextsignal.io does not confirm the middle tier." },
        { part: 'creditBase', detail: "The ECS credit base could not be read (assumed: ECS charges in the Region)." },
        { part: 'versionDate', detail: "The ECS page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the affected ECS cluster and task IDs, deployed concurrently in two or more AZs',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'fargate',
    name: 'AWS Fargate — Multi-AZ (Region-Level) SLA',
    services: ['FARGATE'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'Applies when all running Fargate tasks (ECS or EKS) are deployed concurrently across two or more AZs in the same Region. Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which AWS Fargate was Unavailable (all running tasks in two or more AZs concurrently have no external connectivity).',
    tiers: tiers10_30_100('99.99'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for AWS Fargate in the affected AWS Region for the monthly billing cycle in which the Unavailability occurred.',
    source: {
      url: 'https://aws.amazon.com/fargate/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'No AWS Fargate SLA page could be read. Figures are the Compute SLA Region-Level terms that covered "AWS Fargate for Amazon ECS and Amazon EKS" (aws.amazon.com/compute/sla/historical/, May 5, 2022: 99.99 % and the 10 % first tier confirmed, lower tiers truncated); the EKS SLA page (May 4, 2022) says Fargate for EKS is under the Compute SLA. The AWS Health service code "FARGATE" is assumed: Fargate impact is often published under ECS or EKS events.',
      unconfirmed: [
        { part: 'commitment', detail: "No AWS Fargate SLA page could be read; 99.99 % is the Compute SLA's Region-Level figure (compute/sla/historical/, May 5, 2022)." },
        { part: 'tiers', detail: "Only the 10 % row was read on AWS's prior Compute SLA; 30 % / 100 % are assumed." },
        { part: 'creditBase', detail: "The Fargate credit base could not be read (assumed: Fargate charges in the Region)." },
        { part: 'versionDate', detail: "No current Fargate SLA page date could be read." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region of each Unavailability incident you are claiming',
      'the affected Fargate task IDs (and their ECS/EKS clusters), deployed concurrently in two or more AZs',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── S3 ─────────────────────────────
  {
    id: 's3-standard',
    name: 'Amazon S3 — S3 Standard, Express One Zone, Glacier Flexible Retrieval, Glacier Deep Archive and all other requests',
    services: ['S3'],
    scope: 'region',
    commitmentPercent: '99.9',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage = 100 % minus the average of the Error Rates of each five-minute period in the monthly billing cycle; Error Rate = internal server errors (error status "InternalError" or "ServiceUnavailable") divided by the total number of requests in that five-minute period.',
    tiers: tiers10_25_100('99.9'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for the applicable Amazon S3 storage class in the affected AWS Region (for S3 Express One Zone: the affected Availability Zone) for the billing cycle in which the Monthly Uptime Percentage fell within the tier.',
    source: {
      url: 'https://aws.amazon.com/s3/sla/',
      lastUpdated: '2023-11-28',
      verified: false,
      notes:
        'Commitment, the three thresholds (99.9 / 99.0 / 95.0) and the storage-class credit base were read on the AWS page ("Last Updated: November 28, 2023"), but the credit percentages are blank in the stored copy; 10 % / 25 % / 100 % are confirmed on AWS\'s own prior version (aws.amazon.com/s3/sla/historical/, "July 31, 2019"). The Error Rate definition is the 2007 S3 SLA wording (scribd copy); the current definition was not readable.',
      unconfirmed: [
        { part: 'tiers', detail: "The credit percentages are blank in the stored copy of the current page (November 28, 2023); 10 % / 25 % / 100 % are read on AWS's prior version (s3/sla/historical/, July 31, 2019)." },
        { part: 'measurement', detail: "The Error Rate definition is the 2007 S3 SLA wording (scribd copy); the current definition was not readable." },
      ],
    },
    claim: claim([
      'the billing cycle and AWS Region (or AZ for S3 Express One Zone) and storage class for which you are claiming Service Credits',
      'the dates and times of each incident of non-zero Error Rates that you are claiming',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 's3-infrequent-access',
    name: 'Amazon S3 — S3 Intelligent-Tiering, Standard-IA, One Zone-IA and Glacier Instant Retrieval',
    services: ['S3'],
    scope: 'region',
    commitmentPercent: '99.0',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage = 100 % minus the average of the Error Rates of each five-minute period in the monthly billing cycle, for requests to S3 Intelligent-Tiering, S3 Standard-Infrequent Access, S3 One Zone-Infrequent Access and S3 Glacier Instant Retrieval; Error Rate = internal server errors ÷ total requests in the five-minute period.',
    tiers: [
      { below: '99.0', atLeast: '98.0', creditPercent: 10 },
      { below: '98.0', atLeast: '95.0', creditPercent: 25 },
      { below: '95.0', atLeast: null, creditPercent: 100 },
    ],
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for the applicable Amazon S3 storage class in the affected AWS Region for the billing cycle in which the Monthly Uptime Percentage fell within the tier.',
    source: {
      url: 'https://aws.amazon.com/s3/sla/',
      lastUpdated: '2023-11-28',
      verified: false,
      notes:
        'Commitment and thresholds (99.0 / 98.0 / 95.0) and the list of storage classes were read on the AWS page ("Last Updated: November 28, 2023"), but the credit percentages are blank in the stored copy; 10 % / 25 % / 100 % are confirmed on AWS\'s prior version (aws.amazon.com/s3/sla/historical/, "July 31, 2019", same thresholds for Intelligent-Tiering, Standard-IA, One Zone-IA).',
      unconfirmed: [
        { part: 'tiers', detail: "The credit percentages are blank in the stored copy of the current page (November 28, 2023); 10 % / 25 % / 100 % are read on AWS's prior version (July 31, 2019)." },
        { part: 'measurement', detail: "The Error Rate definition was not readable on the current page." },
      ],
    },
    claim: claim([
      'the billing cycle, AWS Region and storage class for which you are claiming Service Credits',
      'the dates and times of each incident of non-zero Error Rates that you are claiming',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── DynamoDB ─────────────────────────────
  {
    id: 'dynamodb',
    name: 'Amazon DynamoDB — Standard SLA',
    services: ['DYNAMODB'],
    scope: 'region',
    commitmentPercent: '99.99',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage for an AWS Region = 100 % minus the average of the Error Rates (internal server errors ÷ valid requests) of each five-minute interval in the monthly billing cycle.',
    tiers: tiers10_25_100('99.99'),
    creditBase: 'service-region',
    creditBaseText: 'Total charges paid for DynamoDB in the affected AWS Region for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/dynamodb/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The AWS page could not be read. Commitment ("at least 99.99% if the Standard SLA applies") and the tiers "less than 99.99% but equal to or greater than 99.0% → 10%, less than 99.0% but equal to or greater than 95.0% → 25%, less than 95.0% → 100%" come from verbatim copies of the page in public GitHub notes (2023), dynobase.dev (2022) and nextsignal.io; the credit base (DynamoDB charges in the Region) from dynobase.dev. The five-minute Error Rate definition is from the project research notes (VERIFY). An earlier version is reported by dev.classmethod.jp (https://dev.classmethod.jp/cloud/aws/amazon-dynamodb-global-tables-support-sla-99-999/, when the SLA was introduced): "99%以上 99.99%未満 10%, 99%未満 25%" (no 100 % tier); its date and text could not be read on an AWS page, so it is not catalogued as a prior version.',
      unconfirmed: [
        { part: 'commitment', detail: "aws.amazon.com/dynamodb/sla/ could not be read; 99.99 % is from verbatim copies (public GitHub notes 2023, dynobase.dev 2022)." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are from the same verbatim third-party copies, not the AWS page." },
        { part: 'creditBase', detail: "\"DynamoDB charges in the Region\" is from dynobase.dev's summary of the page." },
        { part: 'measurement', detail: "The five-minute Error Rate definition is from the research notes (VERIFY)." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident of non-zero Error Rates that you are claiming',
      'the affected table names',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'dynamodb-global',
    name: 'Amazon DynamoDB — Global Tables SLA',
    services: ['DYNAMODB'],
    scope: 'region',
    commitmentPercent: '99.999',
    measurement: 'error-rate-5min',
    measurementText:
      'Global Tables SLA (applies to global tables per the SLA conditions): Monthly Uptime Percentage for an AWS Region = 100 % minus the average of the five-minute Error Rates in the monthly billing cycle.',
    tiers: tiers10_25_100('99.999'),
    creditBase: 'service-region',
    creditBaseText:
      'Total charges paid for DynamoDB in the affected AWS Region PLUS the Global Tables charges for the corresponding replica tables in the other AWS Regions, for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/dynamodb/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The AWS page could not be read. "at least 99.999% if the Global Tables SLA applies" and the tiers "less than 99.999% but equal to or greater than 99.0% → 10%, 99.0–95.0 → 25%, below 95.0 → 100%" come from verbatim copies in public GitHub notes (2023), dynobase.dev and nextsignal.io. The credit base (Region charges plus replica-Region Global Tables charges) is from dynobase.dev; creditBase "service-region" must therefore be topped up with the replica-Region Global Tables charges. nextsignal.io adds eligibility conditions (three replicas, attempted Regional failover) that could not be confirmed.',
      unconfirmed: [
        { part: 'commitment', detail: "aws.amazon.com/dynamodb/sla/ could not be read; 99.999 % is from verbatim copies (public GitHub notes 2023, dynobase.dev)." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are from verbatim third-party copies, not the AWS page." },
        { part: 'creditBase', detail: "Region charges plus the replica Regions' Global Tables charges is from dynobase.dev's summary of the page." },
        { part: 'measurement', detail: "The five-minute Error Rate definition is from the research notes; nextsignal.io's eligibility conditions (three replicas, attempted failover) are unconfirmed." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident of non-zero Error Rates that you are claiming',
      'the affected global table names and their replica Regions',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Lambda ─────────────────────────────
  {
    id: 'lambda',
    name: 'AWS Lambda',
    services: ['LAMBDA'],
    scope: 'region',
    commitmentPercent: '99.95',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage for an AWS Region = average of the Availability of all 5-minute intervals in the monthly billing cycle; Availability = percentage of Requests (invocations via the Invoke API or a supported event source) that do not fail with Errors (a 500 or 503 error code); an interval with no Requests is 100 % available.',
    tiers: tiers10_25_100('99.95'),
    creditBase: 'service-region',
    creditBaseText: 'Total charges paid for Lambda in the affected AWS Region for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/lambda/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The AWS page could not be read. The 99.95 % commitment and the definitions are quoted from the AWS page by dev.classmethod.jp (2018) and match the AWS China (Ningxia) Lambda SLA (amazonaws.cn, June 21, 2021). The tiers 10 % (<99.95 %), 25 % (<99.0 %), 100 % (<95.0 %) and the Region credit base are NOT confirmed anywhere read; they follow the project research notes (VERIFY) and the 10/25/100 pattern of AWS serverless SLAs (e.g. API Gateway).',
      unconfirmed: [
        { part: 'commitment', detail: "aws.amazon.com/lambda/sla/ could not be read; 99.95 % is quoted from it by dev.classmethod.jp (2018) and matches the AWS China (Ningxia) Lambda SLA (June 21, 2021)." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are not confirmed anywhere read (research notes, serverless 10/25/100 pattern)." },
        { part: 'creditBase', detail: "Lambda charges in the Region is assumed (research notes)." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident of non-zero Error Rates that you are claiming',
      'the affected function names or ARNs',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── RDS / Aurora ─────────────────────────────
  {
    id: 'rds-multi-az',
    name: 'Amazon RDS — Multi-AZ DB Instance and Multi-AZ DB Cluster SLA',
    services: ['RDS'],
    scope: 'resource',
    commitmentPercent: '99.95',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Multi-AZ DB Instance and Multi-AZ DB Cluster: Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which it was Unavailable (all connection requests to it failed during a one-minute interval).',
    tiers: tiers10_25_100('99.95'),
    creditBase: 'resource',
    creditBaseText:
      'Charges paid for the Multi-AZ DB Instances or Multi-AZ DB Clusters that did not meet the SLA, for the monthly billing cycle. The Multi-AZ and Single-DB Instance SLAs cannot be stacked.',
    source: {
      url: 'https://aws.amazon.com/rds/sla/',
      lastUpdated: '2024-01-22',
      verified: true,
      notes:
        'Commitment, tiers and credit base read on the AWS page (English copy at aws.amazon.com/es/rds-sla/, "Last Updated: January 22, 2024"). The one-minute connection-failure definition of Unavailable is the 2019 wording (project research notes); the current definition was not in the readable part of the page.',
      unconfirmed: [
        { part: 'measurement', detail: "The one-minute connection-failure definition of Unavailable is the 2019 wording (research notes)." },
      ],
    },
    claim: claim([
      'the DB Instance or DB Cluster IDs and the AWS Regions of the affected Multi-AZ DB Instances or Clusters',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'rds-single-az',
    name: 'Amazon RDS — Single-DB Instance SLA',
    services: ['RDS'],
    scope: 'resource',
    commitmentPercent: '99.5',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Single-DB Instance: Instance-Level Uptime Percentage = 100 % minus the percentage of minutes in the month in which the instance was Unavailable (all connection requests failed during a one-minute interval).',
    tiers: tiers10_25_100('99.5'),
    creditBase: 'resource',
    creditBaseText:
      'Charges paid for the Single-DB Instances that did not meet the Single-DB Instance SLA, for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/rds/sla/',
      lastUpdated: '2024-01-22',
      verified: true,
      notes:
        'Commitment, tiers and credit base read on the AWS page (aws.amazon.com/es/rds-sla/, "Last Updated: January 22, 2024"). The Unavailable definition is the 2019 wording (project research notes).',
      unconfirmed: [
        { part: 'measurement', detail: "The Unavailable definition is the 2019 wording (research notes)." },
      ],
    },
    claim: claim([
      'the DB Instance IDs and the AWS Regions of the affected Single-DB Instances',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'aurora-multi-az',
    name: 'Amazon Aurora — Multi-AZ SLA',
    services: ['RDS'],
    scope: 'resource',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Amazon Aurora cluster deployed across two or more AZs ("Multi-AZ Cluster"): Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which the cluster was Unavailable. AWS Health reports Aurora events under the RDS service code.',
    tiers: tiers10_25_100('99.99'),
    creditBase: 'resource',
    creditBaseText:
      'Charges paid for Amazon Aurora for the monthly billing cycle in which the applicable SLA was not met, applied to the affected Multi-AZ Cluster.',
    source: {
      url: 'https://aws.amazon.com/rds/aurora/sla/',
      lastUpdated: '2022-05-19',
      verified: false,
      notes:
        'Commitment and tiers read on the AWS page ("Last Updated: May 19, 2022"). The credit-base sentence is cut off in the readable copy after "charges paid by you for Amazon Aurora for the monthly billing cycle in which the applicable SLA wa[s not met]"; this entry conservatively applies it to the affected cluster\'s charges. The minute-level Unavailable definition was not readable (project research notes).',
      unconfirmed: [
        { part: 'creditBase', detail: "The readable copy cuts the sentence after \"charges paid by you for Amazon Aurora for the monthly billing cycle in which the applicable SLA wa[s not met]\"; applying it to the affected cluster only is an inference." },
        { part: 'measurement', detail: "The minute-level Unavailable definition was not readable (research notes)." },
      ],
    },
    claim: claim([
      'the cluster identifiers and AWS Regions of the affected Multi-AZ Clusters',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'aurora-single-az',
    name: 'Amazon Aurora — Single-AZ SLA',
    services: ['RDS'],
    scope: 'resource',
    commitmentPercent: '99.9',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Amazon Aurora cluster deployed to one AZ ("Single-AZ Cluster"): Single-AZ Uptime Percentage = 100 % minus the percentage of minutes in the month in which the cluster was Unavailable. AWS Health reports Aurora events under the RDS service code.',
    tiers: tiers10_25_100('99.9'),
    creditBase: 'resource',
    creditBaseText:
      'Charges paid for Amazon Aurora for the monthly billing cycle in which the applicable SLA was not met, applied to the affected Single-AZ Cluster.',
    source: {
      url: 'https://aws.amazon.com/rds/aurora/sla/',
      lastUpdated: '2022-05-19',
      verified: false,
      notes:
        'Commitment and tiers read on the AWS page ("Last Updated: May 19, 2022"). Credit-base sentence truncated in the readable copy (see aurora-multi-az); applied conservatively to the affected cluster.',
      unconfirmed: [
        { part: 'creditBase', detail: "The credit-base sentence is cut off in the readable copy; applying it to the affected cluster only is an inference." },
        { part: 'measurement', detail: "The minute-level Unavailable definition was not readable (research notes)." },
      ],
    },
    claim: claim([
      'the cluster identifiers and AWS Regions of the affected Single-AZ Clusters',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Elastic Load Balancing ─────────────────────────────
  {
    id: 'elb-multi-az',
    name: 'Elastic Load Balancing — Multi-AZ Load Balancer SLA',
    services: ['ELASTICLOADBALANCING'],
    scope: 'resource',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Load Balancer deployed concurrently across two or more AZs ("Multi-AZ Load Balancer"): Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which the load balancer was Unavailable.',
    tiers: tiers10_30_100('99.99'),
    creditBase: 'resource',
    creditBaseText: 'Charges paid for the affected Multi-AZ Load Balancer for the monthly billing cycle in which it did not meet the SLA.',
    source: {
      url: 'https://aws.amazon.com/elasticloadbalancing/sla/',
      lastUpdated: '2022-07-25',
      verified: false,
      notes:
        'Commitment and all three tiers read on the AWS page (copy at aws.amazon.com/vi/elasticloadbalancing/sla/, "Last Updated: July 25th, 2022"). The Unavailable definition and the per-load-balancer credit base were not in the readable part (project research notes; the AWS China Beijing ELB SLA uses the same per-load-balancer base).',
      unconfirmed: [
        { part: 'creditBase', detail: "The per-load-balancer base is not in the readable part of the page (research notes; the AWS China Beijing ELB SLA uses the same base)." },
        { part: 'measurement', detail: "The Unavailable definition is not in the readable part of the page." },
      ],
    },
    claim: claim([
      'the names (or ARNs) and AWS Regions of the affected Multi-AZ Load Balancers',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'elb-single',
    name: 'Elastic Load Balancing — Single Load Balancer SLA (incl. Gateway Load Balancer)',
    services: ['ELASTICLOADBALANCING'],
    scope: 'resource',
    commitmentPercent: '99.9',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each Load Balancer or Gateway Load Balancer deployed in only one AZ ("Single Load Balancer"): Single Load Balancer Uptime Percentage = 100 % minus the percentage of minutes in the month in which it was Unavailable.',
    tiers: tiers10_30_100('99.9'),
    creditBase: 'resource',
    creditBaseText: 'Charges paid for the affected Single Load Balancer (or GWLB) for the monthly billing cycle in which it did not meet the SLA.',
    source: {
      url: 'https://aws.amazon.com/elasticloadbalancing/sla/',
      lastUpdated: '2022-07-25',
      verified: false,
      notes:
        'The 99.9 % commitment and the first tier ("less than 99.9% but greater than or equal to 99.0% → 10%") were read on the AWS page (July 25th, 2022); the copy is cut off at the second row. 30 % (<99.0 %) and 100 % (<95.0 %) are assumed from the Multi-AZ table on the same page (10/30/100); the project research notes also mark these as VERIFY.',
      unconfirmed: [
        { part: 'tiers', detail: "The copy (July 25th, 2022) is cut off after \"Less than 99.0% but g\"; 30 % (<99.0 %) and 100 % (<95.0 %) are assumed from the Multi-AZ table." },
        { part: 'creditBase', detail: "The per-load-balancer base is not in the readable part of the page." },
        { part: 'measurement', detail: "The Unavailable definition is not in the readable part of the page." },
      ],
    },
    claim: claim([
      'the names (or ARNs) and AWS Regions of the affected Single Load Balancers',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Edge / API ─────────────────────────────
  {
    id: 'api-gateway',
    name: 'Amazon API Gateway',
    services: ['APIGATEWAY'],
    scope: 'region',
    commitmentPercent: '99.95',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage for an AWS Region = average of the Availability of all 5-minute intervals in the monthly billing cycle; Availability = percentage of Requests (calls to API endpoints hosted on API Gateway) that do not fail with an Error caused by an Amazon API Gateway internal service error; an interval with no Requests is 100 % available.',
    tiers: tiers10_25_100('99.95'),
    creditBase: 'service-region',
    creditBaseText: 'Total charges paid for API Gateway in the affected AWS Region for the monthly billing cycle in which the Monthly Uptime Percentage fell within the tier.',
    source: {
      url: 'https://aws.amazon.com/api-gateway/sla/',
      lastUpdated: '2022-05-05',
      verified: true,
      notes:
        'Commitment, tiers (10 / 25 / 100 %) and Region credit base read on AWS\'s own Turkish translation of the page (aws.amazon.com/tr/api-gateway/sla/, "Son Güncelleme: 5 Mayıs 2022"; AWS states the English version prevails). The Availability/Error definitions come from dev.classmethod.jp\'s summary of the English page.',
      unconfirmed: [
        { part: 'measurement', detail: "The Availability / Error definitions come from dev.classmethod.jp's summary of the English page." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident of non-zero error rates that you are claiming',
      'the affected API IDs and stages',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'cloudfront',
    name: 'Amazon CloudFront',
    services: ['CLOUDFRONT'],
    scope: 'region',
    commitmentPercent: '99.9',
    measurement: 'error-rate-5min',
    measurementText:
      'Monthly Uptime Percentage = 100 % minus the average of the Error Rates from each five-minute period in the monthly billing cycle; Error Rate = total internal server errors returned by Amazon CloudFront ÷ total requests in that five-minute period, per account. CloudFront is global (Health events carry eventRegion "global").',
    tiers: tiers10_25_100('99.9'),
    creditBase: 'service-global',
    creditBaseText: 'Total charges paid for Amazon CloudFront for the billing cycle in which the error occurred.',
    source: {
      url: 'https://aws.amazon.com/cloudfront/sla/',
      lastUpdated: '2022-05-05',
      verified: false,
      notes:
        'The 99.9 % commitment and the Error Rate / Monthly Uptime Percentage definitions were read on the AWS page (copy at aws.amazon.com/ru/cloudfront/sla/, "Last Updated: May 5, 2022"); the copy is cut off at the Service Credits table. Tiers 10 % (99.0–99.9), 25 % (95.0–99.0), 100 % (<95.0) come from nextsignal.io; the global credit base is inferred, not read.',
      unconfirmed: [
        { part: 'tiers', detail: "The copy (aws.amazon.com/ru/cloudfront/sla/, May 5, 2022) is cut off at the Service Credits heading; 10 % / 25 % / 100 % come from nextsignal.io." },
        { part: 'creditBase', detail: "The global base (all CloudFront charges of the billing cycle) is inferred, not read." },
      ],
    },
    claim: claim([
      'the dates and times of each incident of non-zero Error Rates that you are claiming',
      'the affected distribution IDs',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── EKS ─────────────────────────────
  {
    id: 'eks',
    name: 'Amazon EKS — Kubernetes endpoint of an EKS Cluster',
    services: ['EKS'],
    scope: 'resource',
    commitmentPercent: '99.95',
    measurement: 'minutes-unavailable',
    measurementText:
      'For the Kubernetes endpoint of each Amazon EKS Cluster: Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which the endpoint was Unavailable. AWS Fargate for EKS is covered by the Compute SLA, not by this one.',
    tiers: tiers10_25_100('99.95'),
    creditBase: 'resource',
    creditBaseText: 'Charges paid for the EKS Cluster(s) that did not meet the Monthly Uptime Percentage commitment in the billing cycle.',
    source: {
      url: 'https://aws.amazon.com/eks/sla/',
      lastUpdated: '2022-05-04',
      verified: true,
      notes:
        'Commitment, tiers and credit base read on the AWS page (copy at aws.amazon.com/ar/eks/sla/, "Last Updated: May 4, 2022"). The Unavailable definition was not in the readable part (project research notes). nextsignal.io mentions a 99.99 % option for provisioned control planes that could not be confirmed and is not catalogued.',
      unconfirmed: [
        { part: 'measurement', detail: "The Unavailable definition was not in the readable part of the page (research notes)." },
      ],
    },
    claim: claim([
      'the EKS Cluster names and AWS Regions of the affected clusters',
      'the dates and times of each Unavailability incident you are claiming',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Messaging ─────────────────────────────
  {
    id: 'sqs',
    name: 'Amazon SQS (Amazon Messaging SLA)',
    services: ['SQS'],
    scope: 'region',
    commitmentPercent: '99.9',
    measurement: 'error-rate-5min',
    measurementText:
      'Amazon Messaging SLA (SQS and SNS): Monthly Uptime Percentage for an AWS Region = 100 % minus the average of the five-minute Error Rates (server errors ÷ requests) in the monthly billing cycle.',
    tiers: tiers10_25_100('99.9'),
    creditBase: 'service-region',
    creditBaseText: 'Total charges paid for Amazon SQS in the affected AWS Region for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/messaging/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'No copy of aws.amazon.com/messaging/sla/ could be read. The 99.9 % commitment comes from mikaelvesavuori/cloud-sla (data/aws.json "amazon-messaging", 2023) and a public project note ("Amazon Messaging (SQS, SNS) Service Level Agreement: 99.9%"). The tiers 10/25/100, the five-minute error-rate measurement and the per-Region credit base are NOT confirmed anywhere; they follow the project research notes ("VERIFY (likely 10/25/100)"). The AWS Health service code "SQS" was not seen in any sample.',
      unconfirmed: [
        { part: 'commitment', detail: "No copy of aws.amazon.com/messaging/sla/ could be read; 99.9 % is from mikaelvesavuori/cloud-sla (data/aws.json) and a public project note." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are not confirmed anywhere (research notes: \"VERIFY (likely 10/25/100)\")." },
        { part: 'creditBase', detail: "SQS charges in the Region is assumed." },
        { part: 'measurement', detail: "The five-minute error-rate measurement is assumed." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident you are claiming',
      'the affected queue URLs or ARNs',
      REQUEST_LOGS,
    ]),
  },
  {
    id: 'sns',
    name: 'Amazon SNS (Amazon Messaging SLA)',
    services: ['SNS'],
    scope: 'region',
    commitmentPercent: '99.9',
    measurement: 'error-rate-5min',
    measurementText:
      'Amazon Messaging SLA (SQS and SNS): Monthly Uptime Percentage for an AWS Region = 100 % minus the average of the five-minute Error Rates (server errors ÷ requests) in the monthly billing cycle.',
    tiers: tiers10_25_100('99.9'),
    creditBase: 'service-region',
    creditBaseText: 'Total charges paid for Amazon SNS in the affected AWS Region for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/messaging/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'No copy of aws.amazon.com/messaging/sla/ could be read. The 99.9 % commitment comes from mikaelvesavuori/cloud-sla (data/aws.json "amazon-messaging", 2023) and a public project note. The tiers 10/25/100, the measurement and the credit base are NOT confirmed anywhere (project research notes: "VERIFY (likely 10/25/100)"). The AWS Health service code "SNS" was not seen in any sample.',
      unconfirmed: [
        { part: 'commitment', detail: "No copy of aws.amazon.com/messaging/sla/ could be read; 99.9 % is from mikaelvesavuori/cloud-sla and a public project note." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are not confirmed anywhere (research notes)." },
        { part: 'creditBase', detail: "SNS charges in the Region is assumed." },
        { part: 'measurement', detail: "The five-minute error-rate measurement is assumed." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the AWS Region and the dates and times of each incident you are claiming',
      'the affected topic ARNs',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── ElastiCache ─────────────────────────────
  {
    id: 'elasticache-multi-az',
    name: 'Amazon ElastiCache — Serverless and Multi-AZ (Valkey / Redis OSS) SLA',
    services: ['ELASTICACHE'],
    scope: 'resource',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    measurementText:
      'For each ElastiCache Serverless configuration and each ElastiCache for Valkey / Redis OSS Multi-AZ configuration: Monthly Uptime Percentage = 100 % minus the percentage of minutes in the month in which the configuration was Unavailable. (Previous-generation Multi-AZ 99.9 %, Cross-AZ and Single-AZ 99.5 % are separate commitments, not catalogued.)',
    tiers: tiers10_25_100('99.99'),
    creditBase: 'resource',
    creditBaseText: 'Total charges paid for the affected Serverless or Multi-AZ configuration in the affected AWS Region for the monthly billing cycle.',
    source: {
      url: 'https://aws.amazon.com/elasticache/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'aws.amazon.com/elasticache/sla/ could not be read. 99.99 % for Multi-AZ comes from AWS\'s "99.99% availability" announcement for ElastiCache/MemoryDB (reproduced at dataintegration.info) and the structure of the AWS China (Ningxia) ElastiCache SLA (amazonaws.cn, Nov 22, 2024, "Serverless and Multi-AZ ElastiCache SLA"; its table was not readable). Tiers 10/25/100 and the per-configuration credit base are assumed from the sibling Amazon MemoryDB SLA (aws.amazon.com/memorydb/sla/, confirmed 10/25/100 for Multi-AZ 99.99 %).',
      unconfirmed: [
        { part: 'commitment', detail: "aws.amazon.com/elasticache/sla/ could not be read; 99.99 % for Multi-AZ is from AWS's announcement (reproduced at dataintegration.info) and the AWS China (Ningxia) ElastiCache SLA structure (Nov 22, 2024)." },
        { part: 'tiers', detail: "10 % / 25 % / 100 % are assumed from the sibling Amazon MemoryDB SLA (aws.amazon.com/memorydb/sla/)." },
        { part: 'creditBase', detail: "The per-configuration base is assumed from the MemoryDB SLA." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the dates, times and AWS Region(s) of each Unavailability incident you are claiming',
      'the affected cache names / replication group IDs',
      REQUEST_LOGS,
    ]),
  },

  // ───────────────────────────── Route 53 ─────────────────────────────
  {
    id: 'route53',
    name: 'Amazon Route 53 (DNS query service)',
    services: ['ROUTE53'],
    scope: 'region',
    commitmentPercent: '100',
    measurement: 'days-of-charges',
    measurementText:
      'AWS commits to make Amazon Route 53 "100% Available" (answering DNS queries). Each period of Unavailability (a merged outage window inside the month, in whole minutes) earns its own number of days; the month\'s credit is the sum over periods, where "1 day Service Credit" = your average daily Route 53 query charges for the billing cycle. The engine credits at most the days in the month (no monthly cap confirmed).',
    tiers: [],
    dayTiers: [
      { minMinutes: 5, maxMinutes: 30, days: 1 },
      { minMinutes: 31, maxMinutes: 240, days: 7 },
      { minMinutes: 241, maxMinutes: null, days: 30 },
    ],
    creditBase: 'service-global',
    creditBaseText: 'Days of average daily Route 53 query charges (1 day Service Credit = your average daily Route 53 query charges).',
    source: {
      url: 'https://aws.amazon.com/route53/sla/',
      lastUpdated: null,
      verified: false,
      notes:
        'The AWS page (https://aws.amazon.com/route53/sla/) could not be read: searches of the docs and pages corpora on 2026-12-01 found only the Route 53 Resolver Endpoints and Application Recovery Controller SLAs, not this page. Confirmed from secondary quotes of the SLA (5net.com 2011, http://5net.com/blog/2011/07/route53-sla-is-100percent.html, and iret.media, https://iret.media/1463): "AWS will use commercially reasonable efforts to make Amazon Route 53 100% Available (defined below)" and that "1 day Service Credit" means "your average daily Route 53 query charges". NOT confirmed (VERIFY): the day tiers (5–30 min → 1 day, 31 min–4 h → 7 days, > 4 h → 30 days, from the project research notes; the credit matrix on those pages is an image), the definition of a "period of Unavailability", and any monthly cap. The engine credits each merged outage window (whole minutes, clipped to the month) as one period and sums the days (issue 10, rule 1); with no cap confirmed it credits at most the days in the month, so a claim never asks for more than the month\'s query charges, and creditDays shows the days actually credited (after that cap; the period list in the tier text keeps the uncapped sum). Searched again on 2026-12-01 (catalog work, issue 10 rules 1 and 7: pages, docs and code corpora, queries on the page title, "100% Available", "average daily Route 53 query charges" and the day tiers): still only the Resolver Endpoints SLA (Aug 29, 2022), the Application Recovery Controller SLA (Oct 4, 2022 and Aug 15, 2024) and the same 5net.com / iret.media quotes; the day tiers stay unconfirmed. Route 53 Resolver endpoints have a separate SLA (Multi-AZ 99.99 %, Single-AZ 99.5 %, Aug 29, 2022) that is not catalogued.',
      unconfirmed: [
        { part: 'commitment', detail: "\"100% Available\" is read only in secondary quotes of the SLA (5net.com 2011, iret.media); the AWS page could not be read." },
        { part: 'tiers', detail: "The day tiers (5–30 min → 1 day, 31 min–4 h → 7 days, > 4 h → 30 days) are from the research notes; the credit matrix on the quoting pages is an image." },
        { part: 'creditBase', detail: "\"1 day Service Credit\" = \"your average daily Route 53 query charges\" is read only in secondary quotes; no monthly cap could be confirmed." },
        { part: 'measurement', detail: "The definition of a period of Unavailability could not be read." },
        { part: 'versionDate', detail: "The page's Last Updated date could not be read." },
      ],
    },
    claim: claim([
      'the dates and times of each Unavailability incident you are claiming',
      'the affected hosted zone IDs',
      REQUEST_LOGS,
    ]),
  },
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** The catalog, in a stable order. Deeply frozen: copy an entry before changing it. */
export const SLA_CATALOG: readonly SlaDefinition[] = deepFreeze(CATALOG);
