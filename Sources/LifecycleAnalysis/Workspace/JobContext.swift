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
  /// The root module's `*.tf`, `terraform.tfvars` and `*.auto.tfvars` files, by file name.
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

/// A Terraform root module: its variables (with the file each is declared in), outputs, and the
/// names its `.tfvars` files set.
public struct TerraformModule: Equatable, Sendable {
  public var variables: [(file: String, variable: TerraformVariable)] = []
  public var outputs: [TerraformOutput] = []
  public var assignedNames: Set<String> = []

  /// The module of `files` (by file name), or nil when none of them is a `.tf` file.
  public init?(files: [String: SourceText]) {
    guard files.keys.contains(where: { $0.hasSuffix(".tf") }) else { return nil }
    for name in files.keys.sorted() {
      let file = TerraformReader.read(files[name]!)
      if name.hasSuffix(".tf") {
        variables += file.variables.map { (name, $0) }
        outputs += file.outputs
      } else if name == "terraform.tfvars" || name.hasSuffix(".auto.tfvars") {
        assignedNames.formUnion(file.assignments.map(\.name))
      }
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
