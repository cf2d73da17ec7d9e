import ArgumentParser
import LifecycleWorkspace

/// The options of `run` and `import` that name a `qovery_job` and where its repository is.
struct TerraformJobOptions: ParsableArguments {
  static let repositoryHelp =
    "Where a qovery_job's git repository is checked out, when it is not the checkout holding its .tf file (repeatable)."

  @Option(
    help: ArgumentHelp(
      "The qovery_job of a Terraform file (qovery_job.NAME); not needed when the file declares one.",
      valueName: "qovery_job.name"))
  var resource: String?

  @Option(name: .customLong("repository"), help: ArgumentHelp(repositoryHelp, valueName: "url=folder"))
  var repositories: [String] = []

  func validate() throws { _ = try repositoryMap() }

  func repositoryMap() throws -> RepositoryMap { try RepositoryMap.parse(repositories) }
}

extension RepositoryMap {
  /// `--repository URL=FOLDER` (of `check`, `run` and `import`), folders made absolute.
  static func parse(_ items: [String]) throws -> RepositoryMap {
    var map = RepositoryMap()
    for item in items {
      // A git URL holds no `=`: the folder follows the last one.
      guard let equals = item.lastIndex(of: "="), equals != item.startIndex,
        item.index(after: equals) != item.endIndex
      else {
        throw ValidationError("--repository expects URL=FOLDER, not `\(item)`")
      }
      map.map(
        String(item[..<equals]),
        to: Paths.absolute(String(item[item.index(after: equals)...]), relativeTo: Paths.currentFolder))
    }
    return map
  }
}
