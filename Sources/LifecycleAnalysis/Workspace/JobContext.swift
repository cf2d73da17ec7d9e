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
  public var root: FileLookup<[String]>
  /// The Dockerfile and its text.
  public var dockerfile: FileLookup<SourceText>
  /// The root module's `*.tf`, `terraform.tfvars` and `*.auto.tfvars` files, by file name.
  public var terraformFiles: [String: SourceText]

  public init(
    root: FileLookup<[String]> = .unknown, dockerfile: FileLookup<SourceText> = .unknown,
    terraformFiles: [String: SourceText] = [:]
  ) {
    self.root = root
    self.dockerfile = dockerfile
    self.terraformFiles = terraformFiles
  }

  /// The files under the root (relative to it), when the root was found.
  public var rootFiles: [String]? {
    if case .found(_, let files) = root { return files }
    return nil
  }

  /// The parsed Dockerfile, when found.
  public var parsedDockerfile: Dockerfile? {
    if case .found(_, let source) = dockerfile { return DockerfileParser.parse(source) }
    return nil
  }

  /// The Terraform root module, when the root holds `.tf` files.
  public var terraformModule: TerraformModule? {
    let modules = terraformFiles.keys.filter { $0.hasSuffix(".tf") }
    guard !modules.isEmpty else { return nil }
    var module = TerraformModule()
    for name in terraformFiles.keys.sorted() {
      let file = TerraformReader.read(terraformFiles[name]!)
      if name.hasSuffix(".tf") {
        module.variables += file.variables.map { (name, $0) }
        module.outputs += file.outputs
      } else if name == "terraform.tfvars" || name.hasSuffix(".auto.tfvars") {
        module.assignedNames.formUnion(file.assignments.map(\.name))
      }
    }
    return module
  }
}

/// A Terraform root module: its variables (with the file each is declared in), outputs, and the
/// names its `.tfvars` files set.
public struct TerraformModule: Equatable, Sendable {
  public var variables: [(file: String, variable: TerraformVariable)] = []
  public var outputs: [TerraformOutput] = []
  public var assignedNames: Set<String> = []

  public static func == (lhs: TerraformModule, rhs: TerraformModule) -> Bool {
    lhs.variables.map(\.variable) == rhs.variables.map(\.variable) && lhs.outputs == rhs.outputs
      && lhs.assignedNames == rhs.assignedNames
  }

  public func variable(_ name: String) -> (file: String, variable: TerraformVariable)? {
    variables.first { $0.variable.name == name }
  }
}
