import type { Template } from 'aws-cdk-lib/assertions'
import type { Stack } from 'aws-cdk-lib'

/** A CloudFormation resource of a synthesized template. */
export type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }
/** One IAM policy statement as CDK renders it. */
export type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> }

/** Lookups over one synthesized stack's template, with CloudFormation tokens flattened to text. */
export class TemplateQueries {
  readonly resources: Record<string, Resource>

  constructor(
    readonly stack: Stack,
    template: Template,
  ) {
    this.resources = template.toJSON().Resources as Record<string, Resource>
  }

  /** Logical ID of a construct's default child. */
  logicalId(construct: { node: { defaultChild?: unknown } }): string {
    return this.stack.getLogicalId(construct.node.defaultChild as never)
  }

  /** Every statement of every policy attached to the role with this logical ID. */
  statementsOfRole(roleLogicalId: string): Statement[] {
    return Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleLogicalId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
  }

  /** Every statement of the policies of a function's role. */
  statementsOf(functionLogicalId: string): Statement[] {
    const fn = this.resources[functionLogicalId]!
    return this.statementsOfRole(((fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'])[0]!)
  }

  /** A function's environment variables. */
  environmentOf(functionLogicalId: string): Record<string, unknown> {
    return (this.resources[functionLogicalId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables
  }

  /** Resources of one type. */
  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type)
  }
}

/** A CloudFormation value (string, Fn::Join, Ref, Fn::GetAtt) as text: refs become `{id}`, attributes `{id.Attr}`. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(flat).join('')
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value)[0]!
    if (key === 'Fn::Join') return ((inner as [string, unknown[]])[1]).map(flat).join((inner as [string])[0])
    if (key === 'Ref') return `{${String(inner)}}`
    if (key === 'Fn::GetAtt') return `{${(inner as string[]).join('.')}}`
  }
  return JSON.stringify(value)
}

/** A statement's actions as a list. */
export function actions(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action]
}

/** The flattened resources of the statements that allow `action`, sorted. */
export function resourcesFor(statements: Statement[], action: string): string[] {
  return statements.filter((s) => actions(s).includes(action)).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat)).sort()
}
