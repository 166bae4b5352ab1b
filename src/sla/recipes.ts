/**
 * Measurement recipes, as data: for each catalog SLA, which CloudWatch metrics stand for the SLA's "requests" and
 * "errors" (or "Unavailable"), or — `kind: 'none'` — why no metric matches the SLA's definition, in which case the
 * claim rests on the AWS Health window (an estimate, an upper bound).
 *
 * Rules the engine applies (src/credit/measured.ts): error-rate recipes sum `errors` and `requests` over the scope's
 * resources per 5-minute interval; unavailable recipes count a period as Unavailable when every resource reporting
 * has `metric` > `threshold`. Each recipe quotes the documentation sentence(s) it rests on.
 */
import type { MetricRecipe, MetricRef } from '../metrics/types.ts';

const sum = (namespace: string, metricName: string, dimensions: string[]): MetricRef => ({ namespace, metricName, dimensions, stat: 'Sum' });

const LAMBDA_METRICS = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';
const DDB_SYSTEM_ERRORS = 'https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.dynamodb.metrics.systemErrors.html';
const DDB_LATENCY = 'https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.dynamodb.metrics.successfulRequestLatency.html';
const S3_METRICS = 'https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/metrics-dimensions.md';
const S3_5XX = 'https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.s3.metrics.errors5xx.html';
const S3_ALL = 'https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.s3.metrics.allRequests.html';
const APIGW_METRICS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html';
const EC2_STATUS = 'https://pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.ec2.metrics.statusCheckFailed.html';
const EC2_SYSTEM_STATUS = 'https://docs.aws.amazon.com/fr_fr/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-instance-status/-builder/system-status.html';
const EBS_STALLED = 'https://docs.amazonaws.cn/en_us/ebs/latest/userguide/ebs-fis-pause-io.html';
const ALB_METRICS = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html';
const NLB_METRICS = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html';
const CLOUDFRONT_METRICS = 'https://app.unpkg.com/@pulumi/awsx@3.0.0/files/classic/cloudfront/metrics.d.ts';
const SQS_METRICS = 'https://docs.amazonaws.cn/en_us/AmazonCloudWatch/latest/monitoring/appinsights-metrics-sqs.html';
const SNS_METRICS = 'https://elastic.co/docs/reference/beats/metricbeat/metricbeat-metricset-aws-sns';
const RDS_METRICS = 'https://docs.lightstep.com/integrations/aws-rds';

const DYNAMODB_SOURCES = [
  { url: DDB_SYSTEM_ERRORS, quote: 'Requests to DynamoDB or Amazon DynamoDB Streams that generate an HTTP 500 status code during the specified time period. An HTTP 500 usually indicates an internal service error.' },
  { url: DDB_LATENCY, quote: 'SuccessfulRequestLatency can provide two different kinds of information: The elapsed time for successful requests (Minimum, Maximum, Sum, or Average). The number of successful requests (SampleCount).' },
];
const DYNAMODB_CAVEATS = [
  'Requests = SuccessfulRequestLatency (SampleCount) + SystemErrors (Sum), per table and operation; UserErrors (4xx) and throttled requests are not valid requests and are left out.',
  'SystemErrors is reported per TableName and Operation: every operation the application uses must be read, or errors are missed.',
];

const S3_SOURCES = [
  { url: S3_METRICS, quote: 'CloudWatch request metrics give you an idea of the nature of traffic against your bucket in near-real time. It is not meant to be a complete accounting of all requests.' },
  { url: S3_5XX, quote: 'The number of HTTP 5xx server error status code requests made to an Amazon S3 bucket with a value of either 0 or 1. The average statistic shows the error rate, and the sum statistic shows the count of that type of error, during each period.' },
  { url: S3_ALL, quote: "The total number of HTTP requests made to an Amazon S3 bucket, regardless of type. If you're using a metrics configuration with a filter, then this metric only returns the HTTP requests made to the objects in the bucket that meet the filter's requirements." },
];
const S3_CAVEATS = [
  'Request metrics are off by default: each bucket needs a request-metrics configuration (its FilterId is a dimension); buckets without one give no data and the claim stays an estimate.',
  '5xxErrors counts every 5xx, including 503 Slow Down throttling, which is not an InternalError or ServiceUnavailable the SLA counts: an upper bound where throttling occurred.',
  'Delivery is best effort: a datapoint may be late or missing, which reads as fewer requests.',
];

const UNAVAILABLE_EC2_SOURCES = [
  { url: EC2_STATUS, quote: 'Reports whether the instance has passed both the instance status check and the system status check in the last minute. This metric can be either 0 (passed) or 1 (failed).' },
  { url: EC2_SYSTEM_STATUS, quote: 'Reports impaired functionality that stems from issues related to the systems that support an instance, such as hardware failures and network connectivity problems.' },
];

const EBS_SOURCES = [
  { url: EBS_STALLED, quote: 'The CloudWatch metric for VolumeStalledIOCheck will be 1 if volume I/O is paused for over 60 seconds.' },
];

const ELB_SOURCES = [
  { url: ALB_METRICS, quote: 'If there are no requests flowing through the load balancer or no data for a metric, the metric is not reported.' },
  { url: NLB_METRICS, quote: 'Elastic Load Balancing reports metrics to CloudWatch only when requests are flowing through the load balancer.' },
];
const ELB_REASON =
  'The SLA counts minutes in which the load balancer was Unavailable; no CloudWatch metric says that. ALB has HTTPCode_ELB_5XX_Count / RequestCount (an error rate: a minute with some 5xx from the load balancer is not a minute of Unavailability, and a minute with no traffic reports nothing), CLB has HTTPCode_ELB_5XX, and NLB/GWLB publish no error count at all (only TCP_ELB_Reset_Count, flows and healthy-host counts, which describe your targets). The Health window is used (an estimate); attach ALB 5XX counts by hand as supporting evidence.';

const MESSAGING_SQS = 'Amazon SQS publishes only message counts to CloudWatch (NumberOfMessagesSent, NumberOfMessagesReceived, NumberOfEmptyReceives, …), no count of API requests or of the server errors they returned, so the SLA\'s Error Rate cannot be formed from CloudWatch. The Health window is used (an estimate); your own client-side error logs of SendMessage/ReceiveMessage are the evidence AWS asks for.';
const MESSAGING_SNS = 'Amazon SNS publishes NumberOfMessagesPublished and NumberOfNotificationsFailed, but the latter counts failed deliveries to subscribers (often the subscriber\'s fault), not server errors of Publish requests, and failed Publish calls are not counted as published. No metric matches the SLA\'s Error Rate; the Health window is used (an estimate).';

/** Resource-level SLAs: one fleet claim covers every affected resource of the account and Region (src/claims/fleet.ts). */
const FLEET_CAVEAT =
  'For a claim of several resources a minute counts only when every one reporting was Unavailable: a lower bound of each resource\'s own downtime. One-resource claims are exact.';

/** One recipe per catalog SLA id (tests/unit/sla-recipes.test.ts checks the two stay in step). */
export const RECIPES: Readonly<Record<string, MetricRecipe>> = {
  'ec2-region': {
    kind: 'unavailable',
    metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: ['InstanceId'], stat: 'Maximum' },
    threshold: 0,
    periodSeconds: 60,
    discovery: { kind: 'list-metrics', namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System' },
    caveats: [
      'A minute counts as Region Unavailable only when every instance reporting failed its system status check in that minute (the SLA: all running instances in two or more AZs without external connectivity).',
      'A failed system status check is AWS\'s own signal of host or network impairment, close to but not the same as "no external connectivity".',
      'Minutes with no datapoint are not measured and fall back to the Health window.',
    ],
    sources: UNAVAILABLE_EC2_SOURCES,
  },
  'ec2-instance': {
    kind: 'unavailable',
    metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: ['InstanceId'], stat: 'Maximum' },
    threshold: 0,
    periodSeconds: 60,
    discovery: { kind: 'contract' },
    caveats: [
      'A minute counts as Unavailable when the instance\'s system status check failed (value 1) in it; instance status check failures (your OS) do not count.',
      'Minutes with no datapoint (instance stopped, or no data) are not measured and fall back to the Health window.',
      FLEET_CAVEAT,
    ],
    sources: UNAVAILABLE_EC2_SOURCES,
  },
  'ebs-region': {
    kind: 'unavailable',
    metric: { namespace: 'AWS/EBS', metricName: 'VolumeStalledIOCheck', dimensions: ['VolumeId'], stat: 'Maximum' },
    threshold: 0,
    periodSeconds: 60,
    discovery: { kind: 'list-metrics', namespace: 'AWS/EBS', metricName: 'VolumeStalledIOCheck' },
    caveats: [
      'A minute counts as Region Unavailable only when every volume reporting had stalled I/O in it.',
      'VolumeStalledIOCheck is published for volumes attached to Nitro instances only; other volumes give no data.',
    ],
    sources: EBS_SOURCES,
  },
  'ebs-volume': {
    kind: 'unavailable',
    metric: { namespace: 'AWS/EBS', metricName: 'VolumeStalledIOCheck', dimensions: ['VolumeId'], stat: 'Maximum' },
    threshold: 0,
    periodSeconds: 60,
    discovery: { kind: 'contract' },
    caveats: [
      'Stalled I/O (VolumeStalledIOCheck = 1) stands for the SLA\'s "zero read-write IO with pending IO in the queue".',
      'Published for volumes attached to Nitro instances only; minutes with no datapoint fall back to the Health window.',
      FLEET_CAVEAT,
    ],
    sources: EBS_SOURCES,
  },
  ecs: {
    kind: 'none',
    reason: 'The SLA counts minutes in which all of your tasks in two or more AZs had no external connectivity; AWS/ECS publishes utilization and task counts, nothing about connectivity. The Health window is used (an estimate).',
    sources: [],
  },
  fargate: {
    kind: 'none',
    reason: 'As for ECS: no CloudWatch metric reports the external connectivity of Fargate tasks. The Health window is used (an estimate).',
    sources: [],
  },
  's3-standard': {
    kind: 'error-rate',
    requests: [sum('AWS/S3', 'AllRequests', ['BucketName', 'FilterId'])],
    errors: [sum('AWS/S3', '5xxErrors', ['BucketName', 'FilterId'])],
    periodSeconds: 60,
    discovery: { kind: 'list-metrics', namespace: 'AWS/S3', metricName: 'AllRequests' },
    caveats: S3_CAVEATS,
    sources: S3_SOURCES,
  },
  's3-infrequent-access': {
    kind: 'error-rate',
    requests: [sum('AWS/S3', 'AllRequests', ['BucketName', 'FilterId'])],
    errors: [sum('AWS/S3', '5xxErrors', ['BucketName', 'FilterId'])],
    periodSeconds: 60,
    discovery: { kind: 'contract' },
    caveats: [
      ...S3_CAVEATS,
      'Request metrics do not split by storage class: use a filter (prefix or tag) that selects only objects in the Infrequent Access / Glacier Instant Retrieval classes, named in the contract.',
    ],
    sources: S3_SOURCES,
  },
  dynamodb: {
    kind: 'error-rate',
    requests: [
      { namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions: ['TableName', 'Operation'], stat: 'SampleCount' },
      sum('AWS/DynamoDB', 'SystemErrors', ['TableName', 'Operation']),
    ],
    errors: [sum('AWS/DynamoDB', 'SystemErrors', ['TableName', 'Operation'])],
    periodSeconds: 60,
    discovery: { kind: 'list-metrics', namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency' },
    caveats: DYNAMODB_CAVEATS,
    sources: DYNAMODB_SOURCES,
  },
  'dynamodb-global': {
    kind: 'error-rate',
    requests: [
      { namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions: ['TableName', 'Operation'], stat: 'SampleCount' },
      sum('AWS/DynamoDB', 'SystemErrors', ['TableName', 'Operation']),
    ],
    errors: [sum('AWS/DynamoDB', 'SystemErrors', ['TableName', 'Operation'])],
    periodSeconds: 60,
    discovery: { kind: 'contract' },
    caveats: [...DYNAMODB_CAVEATS, 'Read only the global tables\' replicas in the Region (named in the contract): the 99.999 % commitment applies to global tables.'],
    sources: DYNAMODB_SOURCES,
  },
  lambda: {
    kind: 'none',
    reason:
      'The SLA counts Requests that fail with a 500 or 503 from the Lambda service. CloudWatch cannot see those: Invocations are not recorded when the invocation request itself fails, and Errors counts function errors (your code, timeouts, the runtime), which the SLA excludes. Neither a count nor an approximation of service errors exists in AWS/Lambda, so the claim uses the Health window (an estimate); the caller\'s own logs of failed Invoke calls are the evidence AWS asks for.',
    sources: [
      { url: LAMBDA_METRICS, quote: "Invocations aren't recorded if the invocation request is throttled or otherwise results in an invocation error." },
      { url: LAMBDA_METRICS, quote: 'Errors – The number of invocations that result in a function error. Function errors include exceptions that your code throws and exceptions that the Lambda runtime throws.' },
    ],
  },
  'rds-multi-az': {
    kind: 'none',
    reason: 'The SLA counts minutes in which all connection requests failed; AWS/RDS publishes DatabaseConnections (connections in use), not failed connection attempts. The Health window is used (an estimate).',
    sources: [{ url: RDS_METRICS, quote: 'aws.rds.database_connections | count | The number of database connections in use.' }],
  },
  'rds-single-az': {
    kind: 'none',
    reason: 'As for Multi-AZ RDS: no metric counts failed connection attempts. The Health window is used (an estimate).',
    sources: [{ url: RDS_METRICS, quote: 'aws.rds.database_connections | count | The number of database connections in use.' }],
  },
  'aurora-multi-az': {
    kind: 'none',
    reason: 'Aurora publishes connections in use, not failed connection attempts, so no metric says when the cluster was Unavailable. The Health window is used (an estimate).',
    sources: [],
  },
  'aurora-single-az': {
    kind: 'none',
    reason: 'As for Multi-AZ Aurora: no metric of failed connections. The Health window is used (an estimate).',
    sources: [],
  },
  'elb-multi-az': { kind: 'none', reason: ELB_REASON, sources: ELB_SOURCES },
  'elb-single': { kind: 'none', reason: ELB_REASON, sources: ELB_SOURCES },
  'api-gateway': {
    kind: 'error-rate',
    requests: [sum('AWS/ApiGateway', 'Count', ['ApiName'])],
    errors: [sum('AWS/ApiGateway', '5XXError', ['ApiName'])],
    periodSeconds: 60,
    discovery: { kind: 'list-metrics', namespace: 'AWS/ApiGateway', metricName: 'Count' },
    caveats: [
      '5XXError includes integration errors (your backend or Lambda returning 5xx, integration timeouts), which the SLA excludes: the measured rate is an upper bound, tighter than the Health window, not AWS\'s own figure.',
      'REST APIs report by ApiName; HTTP APIs publish 5xx / Count by ApiId instead and need their own read.',
    ],
    sources: [
      { url: APIGW_METRICS, quote: 'The Sum statistic represents this metric, namely, the total count of the 5XXError errors in the given period.' },
      { url: APIGW_METRICS, quote: 'The Average statistic represents the 5XXError error rate, namely, the total count of the 5XXError errors divided by the total number of requests during the period. The denominator corresponds to the Count metric (below).' },
    ],
  },
  cloudfront: {
    kind: 'none',
    reason:
      'CloudFront publishes Requests and 5xxErrorRate, a percentage that includes 5xx returned by your origin; the SLA counts only internal server errors returned by CloudFront itself, and no metric separates them. The Health window is used (an estimate); 5xxErrorRate × Requests can be attached as supporting evidence.',
    sources: [{ url: CLOUDFRONT_METRICS, quote: 'The percentage of all requests for which the HTTP status code is 4xx or 5xx.' }],
  },
  eks: {
    kind: 'none',
    reason: 'The SLA counts minutes in which the cluster\'s Kubernetes endpoint was Unavailable; CloudWatch publishes no availability metric of the endpoint by default. The Health window is used (an estimate).',
    sources: [],
  },
  sqs: { kind: 'none', reason: MESSAGING_SQS, sources: [{ url: SQS_METRICS, quote: 'NumberOfEmptyReceives NumberOfMessagesDeleted NumberOfMessagesReceived NumberOfMessagesSent' }] },
  sns: { kind: 'none', reason: MESSAGING_SNS, sources: [{ url: SNS_METRICS, quote: 'NumberOfMessagesPublished Sum NumberOfNotificationsDelivered Sum NumberOfNotificationsFailed Sum' }] },
  'elasticache-multi-az': {
    kind: 'none',
    reason: 'The SLA counts minutes in which the configuration was Unavailable; AWS/ElastiCache publishes performance and connection gauges, no availability signal. The Health window is used (an estimate).',
    sources: [],
  },
  route53: {
    kind: 'none',
    reason: 'Route 53 is committed 100 % available for answering DNS queries; AWS/Route53 health-check metrics measure your endpoints, not Route 53 itself, and query counts are not per-request outcomes. The Health window is used (an estimate).',
    sources: [],
  },
};

/** The recipe of a catalog SLA id (a negotiated override keeps its id, so it keeps the recipe), or undefined. */
export function recipeFor(slaId: string): MetricRecipe | undefined {
  return RECIPES[slaId];
}

/** "AWS/DynamoDB SystemErrors (Sum)": how a metric is named in a claim's basis. */
export function metricLabel(ref: MetricRef): string {
  return `${ref.namespace} ${ref.metricName} (${ref.stat})`;
}

/** Every metric a recipe reads, labelled (empty for `none`). */
export function recipeMetrics(recipe: MetricRecipe): string[] {
  if (recipe.kind === 'none') return [];
  const refs = recipe.kind === 'error-rate' ? [...recipe.requests, ...recipe.errors] : [recipe.metric];
  return [...new Set(refs.map(metricLabel))];
}
