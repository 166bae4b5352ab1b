/**
 * Lambda-side configuration of the ingest functions, read once per cold start:
 * - the contract: a local file (`CONTRACT_FILE`, for `sls invoke local`) or an SSM parameter (`CONTRACT_PARAM`,
 *   a String/Advanced parameter holding the YAML), so the contract changes without a redeploy;
 * - spend: `SPEND_SOURCE` = `cost-explorer` (default in AWS), `file` (with `SPEND_FILE`) or `none`.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { loadContract, parseContractYaml, type Contract } from '../contract/contract.ts';
import { CostExplorerSpendSource } from '../spend/cost-explorer.ts';
import { CsvSpendSource, NO_SPEND, type SpendSource } from '../spend/spend.ts';
import type { Db } from '../store/clients.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

let ssm: SSMClient | undefined;

export async function loadContractFromEnv(env: NodeJS.ProcessEnv = process.env, client?: SSMClient): Promise<Contract> {
  if (env.CONTRACT_FILE) return loadContract(env.CONTRACT_FILE);
  const name = env.CONTRACT_PARAM;
  if (!name) throw new ConfigError('CONTRACT_PARAM (SSM parameter holding the contract YAML) or CONTRACT_FILE must be set');
  const ssmClient = client ?? (ssm ??= new SSMClient({}));
  const result = await ssmClient.send(new GetParameterCommand({ Name: name }));
  const text = result.Parameter?.Value;
  if (!text) throw new ConfigError(`CONTRACT_PARAM: parameter ${name} is empty`);
  return parseContractYaml(text, `contract ${name}`);
}

export function spendFromEnv(db: Db, env: NodeJS.ProcessEnv = process.env): SpendSource {
  const kind = env.SPEND_SOURCE ?? 'cost-explorer';
  switch (kind) {
    case 'cost-explorer':
      return new CostExplorerSpendSource(db);
    case 'file':
      if (!env.SPEND_FILE) throw new ConfigError('SPEND_SOURCE=file needs SPEND_FILE (a CSV account,month,service,region,amount)');
      return CsvSpendSource.fromFile(env.SPEND_FILE);
    case 'none':
      return NO_SPEND;
    default:
      throw new ConfigError(`SPEND_SOURCE: expected cost-explorer, file or none (got ${JSON.stringify(kind)})`);
  }
}
