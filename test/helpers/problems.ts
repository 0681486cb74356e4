import { ConfigError, parseEnvironment } from '../../environments';

/** The problems a config produces, as the user sees them; fails when the config is accepted. */
export function problemsOf(input: unknown): ConfigError['problems'] {
  try {
    parseEnvironment(input, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}
