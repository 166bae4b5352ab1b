/**
 * Lambda-side configuration of the ingest functions, read once per cold start:
 * - the contract: a local file (`CONTRACT_FILE`, for `sls invoke local`) or an SSM parameter (`CONTRACT_PARAM`,
 *   a String/Advanced parameter holding the YAML), so the contract changes without a redeploy;
 * - spend: `SPEND_SOURCE` = `cost-explorer` (default in AWS), `file` (with `SPEND_FILE`) or `none`.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { loadContract, parseContractYaml, type Contract } from '../contract/contract.ts';
import { CostExplorerSpendSource, type SpendLogger } from '../spend/cost-explorer.ts';
import { CsvSpendSource, NO_SPEND, type SpendSource } from '../spend/spend.ts';
import type { Db } from '../store/clients.ts';
import { retryStrategy } from './retry.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The contract, read once per cold start. client-ssm is imported on this path only (a dynamic import: esbuild keeps
 * it in the bundle but evaluates it on first use), so neither `invoke local` with CONTRACT_FILE nor the module's
 * init pays for it.
 */
export async function loadContractFromEnv(env: NodeJS.ProcessEnv = process.env, client?: SSMClient): Promise<Contract> {
  if (env.CONTRACT_FILE) return loadContract(env.CONTRACT_FILE);
  const name = env.CONTRACT_PARAM;
  if (!name) throw new ConfigError('CONTRACT_PARAM (SSM parameter holding the contract YAML) or CONTRACT_FILE must be set');
  const sdk = await import('@aws-sdk/client-ssm');
  const ssmClient = client ?? new sdk.SSMClient({ retryStrategy: retryStrategy() });
  const result = await ssmClient.send(new sdk.GetParameterCommand({ Name: name }));
  const text = result.Parameter?.Value;
  if (!text) throw new ConfigError(`CONTRACT_PARAM: parameter ${name} is empty`);
  return parseContractYaml(text, `contract ${name}`);
}

export function spendFromEnv(db: Db, env: NodeJS.ProcessEnv = process.env, log?: SpendLogger): SpendSource {
  const kind = env.SPEND_SOURCE ?? 'cost-explorer';
  switch (kind) {
    case 'cost-explorer':
      return new CostExplorerSpendSource(db, undefined, undefined, undefined, log);
    case 'file':
      if (!env.SPEND_FILE) throw new ConfigError('SPEND_SOURCE=file needs SPEND_FILE (a CSV account,month,service,region,amount)');
      return CsvSpendSource.fromFile(env.SPEND_FILE);
    case 'none':
      return NO_SPEND;
    default:
      throw new ConfigError(`SPEND_SOURCE: expected cost-explorer, file or none (got ${JSON.stringify(kind)})`);
  }
}
