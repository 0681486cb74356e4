/**
 * The `terraform { cloud { … } }` block for HCP Terraform and Terraform Enterprise, without cdktf's `CloudBackend`.
 *
 * `CloudBackend` registers a validation that runs `terraform version` during synth (to insist on Terraform ≥ 1.1),
 * so synth would need a Terraform binary on PATH, which the offline synth does not have. This class writes the same
 * block, the same manifest metadata and the same remote-state data source for cross-stack references, and leaves the
 * version check to Terraform itself: the stack sets `required_version`, which Terraform enforces where it runs.
 */
import { DataTerraformRemoteState, TerraformBackend, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';

export interface HcpTerraformBackendProps {
  /** The organization that owns the workspace. */
  readonly organization: string;
  /** The one workspace of this stack. */
  readonly workspace: string;
  /** The project of the workspace. @default - the organization's default project */
  readonly project?: string;
  /** Terraform Enterprise host. @default app.terraform.io */
  readonly hostname?: string;
}

export class HcpTerraformBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly props: HcpTerraformBackendProps,
  ) {
    super(scope, 'backend', 'cloud');
  }

  private block(): Record<string, unknown> {
    return {
      organization: this.props.organization,
      ...(this.props.hostname ? { hostname: this.props.hostname } : {}),
      workspaces: {
        name: this.props.workspace,
        ...(this.props.project ? { project: this.props.project } : {}),
      },
    };
  }

  override toTerraform(): Record<string, unknown> {
    return { terraform: { cloud: { ...this.block(), ...this.rawOverrides } } };
  }

  override toHclTerraform(): Record<string, unknown> {
    const workspaces: Record<string, unknown> = {
      name: { value: this.props.workspace, type: 'simple', storageClassType: 'string' },
      ...(this.props.project
        ? { project: { value: this.props.project, type: 'simple', storageClassType: 'string' } }
        : {}),
    };
    return {
      terraform: {
        cloud: {
          organization: this.props.organization,
          ...(this.props.hostname ? { hostname: this.props.hostname } : {}),
          workspaces: { value: workspaces, isBlock: true, type: 'map', storageClassType: 'stringmap' },
          ...this.rawOverrides,
        },
      },
    };
  }

  /** As `CloudBackend`: `tfc` for HCP Terraform, `tfe` for an Enterprise host (the cdktf CLI reads it). */
  override toMetadata(): Record<string, unknown> {
    const hostname = this.props.hostname;
    return {
      ...super.toMetadata(),
      cloud: !hostname || hostname.startsWith('app.terraform.io') ? 'tfc' : 'tfe',
    };
  }

  /** Cross-stack references read the producing stack's workspace outputs (the `remote` state data source). */
  override getRemoteStateDataSource(
    scope: Construct,
    name: string,
    _fromStack: string,
  ): TerraformRemoteState {
    return new DataTerraformRemoteState(scope, name, {
      organization: this.props.organization,
      workspaces: { name: this.props.workspace },
      ...(this.props.hostname ? { hostname: this.props.hostname } : {}),
    });
  }
}
