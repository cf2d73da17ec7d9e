import ArgumentParser
import LifecycleWorkspace

extension RepositoryMap {
  /// `--repository URL=FOLDER` (of `check` and `run`), folders made absolute.
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
