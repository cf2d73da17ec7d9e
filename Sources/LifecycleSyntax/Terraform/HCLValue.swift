/// The values of a Terraform resource as far as they are literals: objects, lists, strings,
/// numbers, booleans and null, each with its exact range; whatever Terraform computes (a
/// reference, a function call, a template with `${}`, an operator, a `for` expression) is
/// `unknown`. Read from HCL (`HCLResourceReader`) or from Terraform's JSON syntax.
///
/// The tree is flat (children are node indexes), so no reader or consumer recurses on user input.
public struct HCLTree: Equatable, Sendable {
  public var nodes: [HCLNode] = []

  public init() {}

  public subscript(_ index: Int) -> HCLNode { nodes[index] }

  /// The members named `name` of the object at `index` (several for a repeated nested block).
  public func members(_ name: String, of index: Int) -> [HCLMember] {
    guard case .object(let members) = nodes[index].kind else { return [] }
    return members.filter { $0.name == name }
  }

  /// The last member named `name` of the object at `index`.
  public func member(_ name: String, of index: Int) -> HCLMember? { members(name, of: index).last }

  mutating func add(_ node: HCLNode) -> Int {
    nodes.append(node)
    return nodes.count - 1
  }
}

/// One value of an `HCLTree`.
public struct HCLNode: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// `{ key = value ... }`, or a block's body.
    case object([HCLMember])
    /// `[a, b]`: node indexes.
    case list([Int])
    /// A literal string (a quoted string or a heredoc without templates).
    case string(LocatedText)
    /// A number as written.
    case number(String)
    case bool(Bool)
    case null
    /// An expression Terraform computes.
    case unknown
  }

  public var kind: Kind
  /// The whole value (quotes, brackets and the whole expression included).
  public var range: TextRange

  public init(kind: Kind, range: TextRange) {
    self.kind = kind
    self.range = range
  }
}

/// A member of an object or a block body.
public struct HCLMember: Equatable, Sendable {
  public var name: String
  public var nameRange: TextRange
  /// The value's node index.
  public var value: Int
  /// Written as a nested block (`lifecycle { ... }`) rather than as an attribute.
  public var isBlock: Bool

  public init(name: String, nameRange: TextRange, value: Int, isBlock: Bool) {
    self.name = name
    self.nameRange = nameRange
    self.value = value
    self.isBlock = isBlock
  }
}

/// A `resource "TYPE" "NAME" { ... }` block of a Terraform file.
public struct TerraformResource: Equatable, Sendable {
  public var type: String
  public var name: String
  /// The name label (quotes included).
  public var nameRange: TextRange
  /// The whole block.
  public var range: TextRange
  /// The body's object node in `tree`.
  public var body: Int
}

/// The resources of one Terraform file and the tree of their values.
public struct TerraformResources: Equatable, Sendable {
  public var tree = HCLTree()
  public var resources: [TerraformResource] = []

  public init() {}
}
