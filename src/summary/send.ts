/**
 * Sends the monthly summary exactly once per month.
 *
 * Protocol (marker item at `keys.summary(month)`):
 * 1. build the email (reads only; a failure here writes nothing, so a retry starts clean);
 * 2. claim the marker: conditional put `attribute_not_exists(pk)` with status `sending` and a lease
 *    (SEND_LEASE_MS) — or take it over when a previous attempt `failed`, or when its `sending` lease ran out
 *    (the function died mid-way). Whoever loses the condition does not send;
 * 3. SES SendEmail; on success mark `sent` (with the message id); on an SES error mark `failed` and rethrow, so the
 *    scheduler/Lambda retry (or a manual invoke) re-sends.
 *
 * Remaining windows (a duplicate email is preferred to none):
 * - the function dies after SES accepted the message and before marking `sent`: Lambda's retry, after the lease,
 *   sends a second copy. SES SendEmail has no idempotency token to close this;
 * - SES accepted the message but the call still failed (e.g. the response was lost): likewise a second copy;
 * - marking `sent` fails after SES accepted: logged; the marker stays `sending` until the lease ends.
 */
import type { Log } from '../util/log.ts';
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/clients.ts';
import { isConditionFailure } from '../store/dynamo.ts';
import { keys } from '../store/table.ts';
import type { SummaryEmail } from './render.ts';

// ---------------------------------------------------------------------------------------------------------------
// Mailer port and SES adapter
// ---------------------------------------------------------------------------------------------------------------

export interface SummaryMailer {
  send(email: SummaryEmail): Promise<{ messageId: string }>;
}

export interface SesMailerConfig {
  from: string;
  to: readonly string[];
  configurationSetName?: string;
}

export function sendEmailInput(email: SummaryEmail, config: SesMailerConfig): SendEmailCommandInput {
  return {
    FromEmailAddress: config.from,
    Destination: { ToAddresses: [...config.to] },
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: {
          Html: { Data: email.html, Charset: 'UTF-8' },
          Text: { Data: email.text, Charset: 'UTF-8' },
        },
      },
    },
    ...(config.configurationSetName ? { ConfigurationSetName: config.configurationSetName } : {}),
  };
}

export class SesSummaryMailer implements SummaryMailer {
  constructor(
    private readonly config: SesMailerConfig,
    /** Built by handlers/wiring.ts (one client per Lambda instance). */
    private readonly client: SESv2Client,
  ) {}

  async send(email: SummaryEmail): Promise<{ messageId: string }> {
    const result = await this.client.send(new SendEmailCommand(sendEmailInput(email, this.config)));
    return { messageId: result.MessageId ?? '' };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Marker port and DynamoDB adapter
// ---------------------------------------------------------------------------------------------------------------

export type MarkerStatus = 'sending' | 'sent' | 'failed';

export interface SummaryMarker {
  month: string;
  status: MarkerStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  messageId?: string;
  sentAt?: string;
  lastError?: string;
}

export type AcquireResult = { acquired: true; attempt: number } | { acquired: false; current: SummaryMarker | null };

export interface SummaryMarkerStore {
  /** Takes the right to send `month`'s summary: true once, plus once again after each `markFailed`. */
  acquire(month: string, at: string): Promise<AcquireResult>;
  markSent(month: string, messageId: string, at: string): Promise<void>;
  markFailed(month: string, error: string, at: string): Promise<void>;
  get(month: string): Promise<SummaryMarker | null>;
}

/**
 * How long a `sending` marker holds the month: longer than the function's timeout (120 s in serverless.yml; keep
 * this above it), so a live send is never overtaken, and shorter than the gap before Lambda's own retry of a failed
 * invocation (1 minute after it ended), so a send that died mid-way (timeout, crash) is retried automatically
 * instead of leaving the month unsent for good. The price: if SES accepted the email and the function died before
 * recording it, the retry sends it again — a duplicate rather than no email.
 */
export const SEND_LEASE_MS = 150_000;

export class DynamoSummaryMarkerStore implements SummaryMarkerStore {
  constructor(private readonly db: Db) {}

  async acquire(month: string, at: string): Promise<AcquireResult> {
    const leaseUntil = Date.parse(at) + SEND_LEASE_MS;
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.summary(month), type: 'summary', month, status: 'sending', attempts: 1, leaseUntil, createdAt: at, updatedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { acquired: true, attempt: 1 };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      const result = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.summary(month),
          UpdateExpression: 'SET #status = :sending, attempts = attempts + :one, leaseUntil = :lease, updatedAt = :at',
          // A failed send, or a send whose lease ran out without an outcome (the function died mid-way).
          ConditionExpression: '#status = :failed OR (#status = :sending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':failed': 'failed', ':one': 1, ':at': at, ':lease': leaseUntil, ':now': Date.parse(at) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { acquired: true, attempt: Number(result.Attributes?.attempts ?? 0) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return { acquired: false, current: await this.get(month) };
  }

  async markSent(month: string, messageId: string, at: string): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.summary(month),
        UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at, updatedAt = :at',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':id': messageId, ':at': at },
      }),
    );
  }

  async markFailed(month: string, error: string, at: string): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.summary(month),
        UpdateExpression: 'SET #status = :failed, lastError = :error, updatedAt = :at',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':error': error.slice(0, 1000), ':at': at },
      }),
    );
  }

  async get(month: string): Promise<SummaryMarker | null> {
    const result = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.summary(month), ConsistentRead: true }),
    );
    if (!result.Item) return null;
    const { pk: _pk, sk: _sk, type: _type, ...marker } = result.Item;
    return marker as SummaryMarker;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestration
// ---------------------------------------------------------------------------------------------------------------

/** Part of the application's one logging port (src/util/log.ts). */
export type SummaryLog = Pick<Log, 'info' | 'warn' | 'error'>;

const silentLog: SummaryLog = { info: () => {}, warn: () => {}, error: () => {} };

export type DeliveryResult =
  | { month: string; status: 'sent'; messageId: string; attempt: number }
  | { month: string; status: 'skipped'; reason: string; marker: SummaryMarker | null };

export interface DeliverOptions {
  month: string;
  email: SummaryEmail;
  mailer: SummaryMailer;
  markers: SummaryMarkerStore;
  /** Clock for the marker timestamps. */
  now?: () => number;
  log?: SummaryLog;
}

/** Sends `email` for `month` unless it was already sent (or is being sent); see the protocol at the top of the file. */
export async function deliverSummaryOnce(options: DeliverOptions): Promise<DeliveryResult> {
  const { month, email, mailer, markers } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? silentLog;
  const iso = () => new Date(now()).toISOString();

  const lock = await markers.acquire(month, iso());
  if (!lock.acquired) {
    const status = lock.current?.status ?? 'unknown';
    const reason =
      status === 'sent'
        ? `the ${month} summary was already sent${lock.current?.sentAt ? ` at ${lock.current.sentAt}` : ''}`
        : `the ${month} summary is marked "${status}" (another invocation is sending it, or one died mid-send: set status to "failed" to allow a re-send)`;
    log[status === 'sent' ? 'info' : 'warn']('monthly summary not sent', { month, reason });
    return { month, status: 'skipped', reason, marker: lock.current };
  }

  let messageId: string;
  try {
    ({ messageId } = await mailer.send(email));
  } catch (error) {
    const message = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
    try {
      await markers.markFailed(month, message, iso());
    } catch (markError) {
      log.error('could not mark the monthly summary as failed; it will not be re-sent automatically', {
        month,
        error: String(markError),
      });
    }
    log.error('monthly summary send failed; marked failed so a retry may re-send', { month, error: message });
    throw error;
  }
  try {
    await markers.markSent(month, messageId, iso());
  } catch (markError) {
    log.error('monthly summary sent but its marker could not be updated', { month, messageId, error: String(markError) });
  }
  log.info('monthly summary sent', { month, messageId, attempt: lock.attempt });
  return { month, status: 'sent', messageId, attempt: lock.attempt };
}
