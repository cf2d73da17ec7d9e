import LifecycleSyntax

/// A file of the workspace, as the caller found it.
public enum FileLookup<Contents: Equatable & Sendable>: Equatable, Sendable {
  /// Found at `path` (relative to the repository).
  case found(path: String, contents: Contents)
  /// Not there: `path` is where it was looked for.
  case missing(path: String)
  /// The path leaves the repository.
  case outsideRepository(path: String)
  /// Not looked up (a prebuilt image, or a caller that cannot read files).
  case unknown
}

/// What the checks of one spec know of the job's other files: handed in as data by the caller
/// (the CLI reads them from disk, the server from disk and open buffers).
///
/// Architecture Invariant: the analysis never reads a file itself; whatever is `unknown` here
/// makes the cross-file checks stay quiet rather than guess.
public struct JobContext: Equatable, Sendable {
  /// The root application folder, relative to the repository ("." for the repository itself).
  public let root: FileLookup<[String]>
  /// The Dockerfile and its text.
  public let dockerfile: FileLookup<SourceText>
  /// The root module's configuration and variable files (`TerraformModule.isConfiguration`,
  /// `isVariableFile`), by file name.
  public let terraformFiles: [String: SourceText]
  /// The Dockerfile, parsed once, when found.
  public let parsedDockerfile: Dockerfile?
  /// The Terraform root module, read once, when the root holds `.tf` files.
  public let terraformModule: TerraformModule?

  public init(
    root: FileLookup<[String]> = .unknown, dockerfile: FileLookup<SourceText> = .unknown,
    terraformFiles: [String: SourceText] = [:]
  ) {
    self.root = root
    self.dockerfile = dockerfile
    self.terraformFiles = terraformFiles
    if case .found(_, let source) = dockerfile {
      parsedDockerfile = DockerfileParser.parse(source)
    } else {
      parsedDockerfile = nil
    }
    terraformModule = TerraformModule(files: terraformFiles)
  }

  /// The files under the root (relative to it), when the root was found.
  public var rootFiles: [String]? {
    if case .found(_, let files) = root { return files }
    return nil
  }
}

/// A Terraform root module as Terraform loads it: its variables (with the file each is declared
/// in), outputs, and the names its variable files set.
///
/// Configuration files are `*.tf` and `*.tf.json`; `override.tf`, `*_override.tf` (and their
/// `.tf.json` forms) are read after the others, in name order, and each of their `variable` and
/// `output` blocks replaces, attribute by attribute, the block of the same name. Variable files
/// are `terraform.tfvars`, `*.auto.tfvars` and their `.json` forms.
public struct TerraformModule: Equatable, Sendable {
  public var variables: [(file: String, variable: TerraformVariable)] = []
  public var outputs: [TerraformOutput] = []
  public var assignedNames: Set<String> = []

  /// True for a file of the module's configuration.
  public static func isConfiguration(_ name: String) -> Bool {
    name.hasSuffix(".tf") || name.hasSuffix(".tf.json")
  }

  /// True for a variable file Terraform reads by itself.
  public static func isVariableFile(_ name: String) -> Bool {
    ["terraform.tfvars", "terraform.tfvars.json"].contains(name) || name.hasSuffix(".auto.tfvars")
      || name.hasSuffix(".auto.tfvars.json")
  }

  /// True for an override file.
  public static func isOverride(_ name: String) -> Bool {
    let stem = name.hasSuffix(".tf.json") ? name.dropLast(8) : name.hasSuffix(".tf") ? name.dropLast(3) : nil
    return stem.map { $0 == "override" || $0.hasSuffix("_override") } ?? false
  }

  /// The module of `files` (by file name), or nil when none of them is a configuration file.
  public init?(files: [String: SourceText]) {
    guard files.keys.contains(where: Self.isConfiguration) else { return nil }
    func read(_ name: String) -> TerraformFile {
      name.hasSuffix(".json") ? TerraformJSONReader.read(files[name]!) : TerraformReader.read(files[name]!)
    }
    let names = files.keys.sorted()
    for name in names where Self.isConfiguration(name) && !Self.isOverride(name) {
      let file = read(name)
      variables += file.variables.map { (name, $0) }
      outputs += file.outputs
    }
    for name in names where Self.isOverride(name) {
      let file = read(name)
      for override in file.variables {
        guard let index = variables.firstIndex(where: { $0.variable.name == override.name }) else { continue }
        variables[index].variable.merge(override)
      }
      for override in file.outputs {
        guard let index = outputs.firstIndex(where: { $0.name == override.name }) else { continue }
        outputs[index].merge(override)
      }
    }
    for name in names where Self.isVariableFile(name) {
      assignedNames.formUnion(read(name).assignments.map(\.name))
    }
  }

  public static func == (lhs: TerraformModule, rhs: TerraformModule) -> Bool {
    lhs.variables.map(\.variable) == rhs.variables.map(\.variable) && lhs.outputs == rhs.outputs
      && lhs.assignedNames == rhs.assignedNames
  }

  public func variable(_ name: String) -> (file: String, variable: TerraformVariable)? {
    variables.first { $0.variable.name == name }
  }
}

extension TerraformVariable {
  /// Takes each attribute `override` sets, as an override file does.
  mutating func merge(_ override: TerraformVariable) {
    for attribute in override.attributes {
      switch attribute {
      case "type": type = override.type
      case "default":
        defaultExpression = override.defaultExpression
        defaultValue = override.defaultValue
      case "description": description = override.description
      case "sensitive": isSensitive = override.isSensitive
      default: break
      }
    }
    attributes.formUnion(override.attributes)
  }
}

extension TerraformOutput {
  /// Takes each attribute `override` sets, as an override file does.
  mutating func merge(_ override: TerraformOutput) {
    if override.attributes.contains("description") { description = override.description }
    if override.attributes.contains("sensitive") { isSensitive = override.isSensitive }
    attributes.formUnion(override.attributes)
  }
}
