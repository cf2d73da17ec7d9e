/// Walks folders the way every workspace reader should: depth first in name order, skipping
/// version control, build output and dependencies, never following symbolic links.
public enum FileWalker {
  /// Folders never searched: version control, build output, dependencies.
  public static let skippedFolders: Set<String> = [
    ".git", ".hg", ".svn", ".build", ".swiftpm", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
    ".pytest_cache", ".idea", ".vscode", "vendor", "target", "dist", ".lifecycle-job",
  ]

  /// The regular files under `folder` (paths relative to it), at most `limit` of them.
  public static func regularFiles(under folder: String, in files: any FileSystem, limit: Int = .max)
    -> [String]
  {
    var result: [String] = []
    walk(folder, relative: "", files: files, limit: limit, links: false, into: &result)
    return result
  }

  /// The files under `folder` a `COPY` would take into an image: the regular files and the
  /// symbolic links (copied as links; the walk does not follow them).
  public static func filesAndLinks(under folder: String, in files: any FileSystem, limit: Int = .max)
    -> [String]
  {
    var result: [String] = []
    walk(folder, relative: "", files: files, limit: limit, links: true, into: &result)
    return result
  }

  private static func walk(
    _ folder: String, relative: String, files: any FileSystem, limit: Int, links: Bool,
    into result: inout [String]
  ) {
    guard let names = files.entries(folder) else { return }
    for name in names.sorted() where result.count < limit {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      let relativePath = relative.isEmpty ? name : relative + "/" + name
      switch files.type(path) {
      case .directory:
        if !skippedFolders.contains(name), !name.hasPrefix(".build") {
          walk(path, relative: relativePath, files: files, limit: limit, links: links, into: &result)
        }
      case .regular:
        result.append(relativePath)
      case .other:
        if links { result.append(relativePath) }
      case nil:
        continue
      }
    }
  }
}
