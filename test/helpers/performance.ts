/**
 * Tests synthesize as the synth command does: without capturing a stack trace for every token cdktf creates
 * (stacks/performance.ts). Under the test runner each capture also maps every frame through source maps, which made
 * building a stack cost more than synthesizing it.
 */
import { skipTokenCreationStacks } from '../../stacks/performance';

if (!process.env['LZ_DEBUG']) skipTokenCreationStacks();
