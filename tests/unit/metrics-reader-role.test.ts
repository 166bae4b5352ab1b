/** deploy/metrics-reader-role.yml: read-only CloudWatch for the collector, nothing more, trusted by exactly it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const template = parse(readFileSync('deploy/metrics-reader-role.yml', 'utf8'));
const serverless = readFileSync('serverless.yml', 'utf8');

describe('deploy/metrics-reader-role.yml', () => {
  it('holds one IAM role and nothing else', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.values(template.Resources).map((r: any) => r.Type)).toEqual(['AWS::IAM::Role']);
    expect(template.Outputs.MetricsReaderRoleArn.Value).toEqual({ 'Fn::GetAtt': ['MetricsReaderRole', 'Arn'] });
  });

  it('grants exactly cloudwatch:GetMetricData and cloudwatch:ListMetrics (which take no resource ARN), allow only', () => {
    const role = template.Resources.MetricsReaderRole.Properties;
    const statements = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], Resource: '*' }]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('trusts only the collector role of the collector account, for sts:AssumeRole', () => {
    const trust = template.Resources.MetricsReaderRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${CollectorAccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${CollectorAccountId}:role/${CollectorRoleName}' } } },
      },
    ]);
    expect(template.Parameters.CollectorAccountId.AllowedPattern).toBe('^\\d{12}$');
  });

  it('names the role and the collector as serverless.yml deploys them (else AssumeRole is denied)', () => {
    expect(template.Resources.MetricsReaderRole.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(serverless).toContain(`metricsRoleName: ${template.Parameters.RoleName.Default}`);
    expect(serverless).toContain('RoleName: ${self:service}-${sls:stage}-metrics-collect');
    expect(template.Parameters.CollectorRoleName.Default).toBe('sla-claims-prod-metrics-collect');
    expect(serverless).toContain('service: sla-claims\n');
  });
});
