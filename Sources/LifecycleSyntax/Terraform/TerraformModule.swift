/// A `variable` block of a Terraform root module.
public struct TerraformVariable: Equatable, Sendable {
  public var name: String
  /// The block's label.
  public var nameRange: TextRange
  /// The whole block.
  public var range: TextRange
  /// The `type` expression as written (`string`, `list(string)`).
  public var type: String?
  /// The `default` expression as written (`"us-east-2"`, `[]`), when there is one.
  public var defaultExpression: String?
  /// The default's value when it is a literal string.
  public var defaultValue: String?
  public var description: String?
  public var isSensitive: Bool
  /// The names of the attributes the block sets (for override files, which replace only those).
  public var attributes: Set<String> = []
}

/// An `output` block.
public struct TerraformOutput: Equatable, Sendable {
  public var name: String
  public var nameRange: TextRange
  public var range: TextRange
  public var description: String?
  public var isSensitive: Bool
  /// The names of the attributes the block sets.
  public var attributes: Set<String> = []
}

/// A value set in `terraform.tfvars` or `*.auto.tfvars`.
public struct TerraformAssignment: Equatable, Sendable {
  public var name: String
  public var nameRange: TextRange
  /// The expression as written.
  public var expression: String
}

/// What one `.tf` or `.tfvars` file declares.
public struct TerraformFile: Equatable, Sendable {
  public var variables: [TerraformVariable] = []
  public var outputs: [TerraformOutput] = []
  /// Top-level attributes (the content of a `.tfvars` file).
  public var assignments: [TerraformAssignment] = []
}
