/// The remotes of a git checkout, read from its `.git/config` through a `FileSystem`, and git
/// URLs compared as the same repository whatever their form.
public enum GitRemotes {
  /// The remote URLs of the checkout at `repository` (absolute): `.git/config`, or for a linked
  /// worktree (`.git` a file saying `gitdir: X`), the configuration of the repository it shares.
  public static func urls(ofCheckout repository: String, in files: any FileSystem) -> [String] {
    let dotGit = repository + "/.git"
    var gitFolder = dotGit
    if files.type(dotGit) == .regular, let bytes = files.contents(dotGit) {
      let text = String(decoding: bytes, as: UTF8.self).trimmed
      guard text.hasPrefix("gitdir:") else { return [] }
      gitFolder = Paths.absolute(String(text.dropFirst("gitdir:".count)).trimmed, relativeTo: repository)
      if let common = files.contents(gitFolder + "/commondir") {
        gitFolder = Paths.absolute(String(decoding: common, as: UTF8.self).trimmed, relativeTo: gitFolder)
      }
    }
    guard let config = files.contents(gitFolder + "/config") else { return [] }
    return remoteURLs(inConfig: String(decoding: config, as: UTF8.self))
  }

  /// The `url` of each `[remote "..."]` section of a git configuration, in order.
  public static func remoteURLs(inConfig text: String) -> [String] {
    var inRemote = false
    var urls: [String] = []
    for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      let line = String(rawLine).trimmed
      if line.hasPrefix("[") {
        inRemote = line.hasPrefix("[remote ") || line.hasPrefix("[remote\t")
        continue
      }
      guard inRemote, let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingSpaces.lowercased()
      guard key == "url" else { continue }
      var value = String(line[line.index(after: equals)...]).trimmed
      if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
        value = String(value.dropFirst().dropLast())
      }
      urls.append(value)
    }
    return urls
  }

  /// A git URL reduced to `host/owner/name`, lower-cased: `git@github.com:o/r.git`,
  /// `ssh://git@github.com:22/o/r`, `https://user@github.com/o/r.git/` all give `github.com/o/r`.
  public static func normalized(_ url: String) -> String {
    var text = url.trimmed
    if text.hasPrefix("git+") { text = String(text.dropFirst(4)) }
    var hadScheme = false
    if let scheme = text.range(of: "://") {
      text = String(text[scheme.upperBound...])
      hadScheme = true
    }
    // `user@` before the host.
    if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") {
      text = String(text[text.index(after: at)...])
    }
    if let slash = text.firstIndex(of: "/") ?? Optional(text.endIndex) {
      var host = String(text[..<slash])
      var path = String(text[slash...])
      if let colon = host.firstIndex(of: ":") {
        let after = String(host[host.index(after: colon)...])
        if hadScheme, after.allSatisfy(\.isNumber) {
          host = String(host[..<colon])  // A port.
        } else if !hadScheme {
          // scp-like `host:owner/name`.
          path = "/" + after + path
          host = String(host[..<colon])
        }
      }
      text = host + path
    }
    while text.hasSuffix("/") { text.removeLast() }
    if text.hasSuffix(".git") { text.removeLast(4) }
    while text.hasSuffix("/") { text.removeLast() }
    return text.lowercased()
  }
}

fileprivate extension String {
  var trimmed: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }
}

fileprivate extension Substring {
  var trimmingSpaces: String { String(self).trimmed }
}
