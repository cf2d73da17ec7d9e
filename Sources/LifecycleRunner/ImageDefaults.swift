import LifecycleSyntax

/// What the image itself sets for its process, as far as its Dockerfile tells: `ENV`, `WORKDIR`
/// and `USER` of the stage that runs (and of the earlier stages it is built `FROM`). The base
/// image pulled from a registry is not known here: its own `ENV` and `USER` are not.
public struct ImageDefaults: Equatable, Sendable {
  /// `ENV` in order, later ones winning, `$NAME` and `${NAME}` replaced by earlier values.
  public var environment: [String: String] = [:]
  /// The last `WORKDIR`, resolved against the earlier ones (nil: none).
  public var workingDirectory: String?
  /// The last `USER` (`name`, `uid`, `name:group` …), nil when none.
  public var user: String?

  public init() {}

  public init(_ dockerfile: Dockerfile, target: String?) {
    var stages: [ArraySlice<DockerInstruction>] = []
    var stage = dockerfile.stage(named: target)
    var seen: Set<String> = []
    while true {
      stages.insert(stage, at: 0)
      guard let from = stage.first, from.name == "from", let base = from.values.first?.lowercased(),
        dockerfile.instructions.contains(where: { $0.stageName?.lowercased() == base }),
        seen.insert(base).inserted
      else { break }
      stage = dockerfile.stage(named: base)
    }
    var arguments: [String: String] = [:]
    for instruction in stages.joined() {
      switch instruction.name {
      case "arg":
        for word in instruction.values {
          let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
          if parts.count == 2 {
            arguments[parts[0]] = Self.unquoted(parts[1], environment.merging(arguments) { a, _ in a })
          }
        }
      case "env":
        for index in stride(from: 0, to: instruction.values.count - 1, by: 3) {
          environment[instruction.values[index]] = Self.unquoted(
            instruction.values[index + 1], environment.merging(arguments) { a, _ in a })
        }
      case "workdir":
        guard let path = instruction.values.first.map({ Self.unquoted($0, environment) }), !path.isEmpty
        else { continue }
        workingDirectory = path.hasPrefix("/") ? path : (workingDirectory ?? "") + "/" + path
      case "user":
        user = instruction.values.first.map { Self.unquoted($0, environment) }
      default: break
      }
    }
  }

  /// A Dockerfile word as the builder reads it: quotes removed, backslash escapes, `$NAME` and
  /// `${NAME}` replaced (unknown: empty).
  static func unquoted(_ word: String, _ variables: [String: String]) -> String {
    var result = ""
    var characters = Array(word)[...]
    var quote: Character?
    while let character = characters.popFirst() {
      switch character {
      case "\"" where quote == nil, "'" where quote == nil:
        quote = character
      case _ where character == quote:
        quote = nil
      case "\\" where quote != "'":
        if let next = characters.popFirst() { result.append(next) }
      case "$" where quote != "'":
        var name = ""
        if characters.first == "{" {
          characters.removeFirst()
          while let next = characters.popFirst(), next != "}" { name.append(next) }
          // `${NAME:-default}` and the like: the name only.
          name = String(name.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        } else {
          while let next = characters.first, next.isLetter || next.isNumber || next == "_" {
            name.append(next)
            characters.removeFirst()
          }
        }
        result += name.isEmpty ? "$" : variables[name] ?? ""
      default:
        result.append(character)
      }
    }
    return result
  }
}
