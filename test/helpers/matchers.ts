/**
 * cdktf's Jest matchers, made available to vitest: `expect(synthesized).toHaveResourceWithProperties(KeyVault, {...})`.
 * Property keys are snake_case, as in the synthesized JSON, and values may be asymmetric matchers.
 */
import { testingMatchers } from 'cdktf';
import { expect } from 'vitest';

type ResourceClass = { readonly tfResourceType: string };
type Properties = Record<string, unknown>;

const passEvaluation = (items: unknown[], properties: Properties): boolean =>
  Object.keys(properties).length === 0
    ? items.length > 0
    : expect.arrayContaining([expect.objectContaining(properties)]).asymmetricMatch(items);

const asVitest = (result: { message: string; pass: boolean }) => ({
  pass: result.pass,
  message: () => result.message,
});

expect.extend({
  toHaveResource(received: string, resource: ResourceClass) {
    return asVitest(testingMatchers.getToHaveResourceWithProperties(passEvaluation)(received, resource, {}));
  },
  toHaveResourceWithProperties(received: string, resource: ResourceClass, properties: Properties) {
    return asVitest(
      testingMatchers.getToHaveResourceWithProperties(passEvaluation)(received, resource, properties),
    );
  },
  toHaveDataSourceWithProperties(received: string, resource: ResourceClass, properties: Properties) {
    return asVitest(
      testingMatchers.getToHaveDataSourceWithProperties(passEvaluation)(received, resource, properties),
    );
  },
  toHaveProviderWithProperties(received: string, resource: ResourceClass, properties: Properties) {
    return asVitest(
      testingMatchers.getToHaveProviderWithProperties(passEvaluation)(received, resource, properties),
    );
  },
});

interface CdktfMatchers<R = unknown> {
  toHaveResource(resource: ResourceClass): R;
  toHaveResourceWithProperties(resource: ResourceClass, properties: Properties): R;
  toHaveDataSourceWithProperties(resource: ResourceClass, properties: Properties): R;
  toHaveProviderWithProperties(resource: ResourceClass, properties: Properties): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends CdktfMatchers<T> {}
}
