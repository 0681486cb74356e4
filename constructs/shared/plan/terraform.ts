/**
 * The Terraform JSON configuration syntax as cdktf writes it to `cdktf.out/stacks/<id>/cdk.tf.json`
 * (https://developer.hashicorp.com/terraform/language/syntax/json), as far as this project reads it. cdktf adds a
 * `//` key with its metadata at the top and in every block (`{ metadata: { path, uniqueId } }`).
 */

/** The arguments of one resource or data source block, keys in snake_case (azapi bodies keep ARM's camelCase). */
export type BlockConfig = Readonly<Record<string, unknown>>;

/** One output block. */
export interface OutputBlock {
  readonly value?: unknown;
  readonly sensitive?: boolean;
  readonly description?: string;
}

/** The `terraform` block: backend or HCP Terraform `cloud`, required providers. */
export interface TerraformBlock {
  readonly backend?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly cloud?: {
    readonly organization?: string;
    readonly hostname?: string;
    readonly workspaces?: { readonly name?: string; readonly tags?: readonly string[] };
  };
  readonly required_providers?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The Terraform JSON of one stack. */
export interface TerraformJson {
  readonly '//'?: {
    readonly metadata?: { readonly stackName?: string; readonly backend?: string; readonly version?: string };
    readonly [key: string]: unknown;
  };
  readonly terraform?: TerraformBlock;
  readonly provider?: Readonly<Record<string, readonly BlockConfig[]>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, BlockConfig>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, BlockConfig>>>>;
  /** Ephemeral resources (Terraform 1.10+): opened at plan and apply, never stored in state. */
  readonly ephemeral?: Readonly<Record<string, Readonly<Record<string, BlockConfig>>>>;
  readonly output?: Readonly<Record<string, OutputBlock>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** cdktf's metadata key in every block. */
export const METADATA_KEY = '//';
