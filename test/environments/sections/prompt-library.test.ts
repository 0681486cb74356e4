import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../environments';
import { problemsOf } from '../../helpers/config';
import { exampleInput } from '../../helpers/synth';

describe('promptLibrary section', () => {
  it('defaults to zone-redundant storage and 30 days of soft delete', () => {
    expect(
      parseEnvironment(exampleInput('staging', { promptLibrary: undefined }), 'staging').promptLibrary,
    ).toEqual({
      replication: 'ZRS',
      blobSoftDeleteRetentionInDays: 30,
      containerSoftDeleteRetentionInDays: 30,
    });
  });

  it.each(['ZRS', 'GZRS', 'RAGZRS'])('prod accepts %s', (replication) => {
    expect(
      parseEnvironment(exampleInput('prod', { promptLibrary: { replication } }), 'prod').promptLibrary
        .replication,
    ).toBe(replication);
  });

  it.each(['LRS', 'GRS', 'RAGRS'])(
    'prod rejects %s: it does not survive the loss of a zone',
    (replication) => {
      expect(problemsOf(exampleInput('prod', { promptLibrary: { replication } }))).toEqual([
        {
          path: 'promptLibrary.replication',
          message:
            'prod: the prompt library must survive the loss of a zone; expected "ZRS", "GZRS" or "RAGZRS"',
          received: JSON.stringify(replication),
          rule: 'prod-prompt-library-zone-redundant',
        },
      ]);
    },
  );

  it('lets dev use locally redundant storage', () => {
    expect(parseEnvironment(exampleInput('dev'), 'dev').promptLibrary.replication).toBe('LRS');
  });

  it.each([
    ['blobSoftDeleteRetentionInDays', 0, 'blob soft delete keeps data 1–365 days; expected at least 1'],
    [
      'containerSoftDeleteRetentionInDays',
      366,
      'container soft delete keeps data 1–365 days; expected at most 365',
    ],
    ['changeFeedRetentionInDays', 1.5, 'expected a whole number of days'],
  ])('rejects %s = %s', (field, value, message) => {
    expect(problemsOf(exampleInput('dev', { promptLibrary: { [field]: value } }))).toEqual([
      { path: `promptLibrary.${field}`, message, received: String(value) },
    ]);
  });
});
