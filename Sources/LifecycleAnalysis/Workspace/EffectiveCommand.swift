import LifecycleSyntax

/// The image's ENTRYPOINT and CMD, as the last stage (or the spec's target) sets them.
public struct ImageCommand: Equatable, Sendable {
  public var entrypoint: DockerInstruction.Form?
  public var cmd: DockerInstruction.Form?
  public var entrypointInstruction: DockerInstruction?
  /// True when the Dockerfile sets the ENTRYPOINT, or its stages start `FROM scratch`, which has
  /// none. Otherwise the base image's ENTRYPOINT, which we cannot see, applies (the official
  /// `bash` image's runs `bash "$@"` when the first argument starts with `-`).
  public var entrypointIsKnown = false

  public init(_ dockerfile: Dockerfile, target: String?) {
    var stage = dockerfile.stage(named: target)
    // A stage built `FROM` an earlier stage inherits its ENTRYPOINT and CMD.
    var seen: Set<Int> = []
    while true {
      entrypointInstruction = entrypointInstruction ?? stage.last { $0.name == "entrypoint" }
      entrypoint = entrypoint ?? entrypointInstruction?.form
      cmd = cmd ?? stage.last { $0.name == "cmd" }?.form
      let base = stage.first.flatMap { $0.name == "from" ? $0.values.first?.lowercased() : nil }
      guard entrypoint == nil || cmd == nil, let base,
        let parentStart = dockerfile.instructions.firstIndex(where: { $0.stageName?.lowercased() == base }),
        seen.insert(parentStart).inserted
      else {
        entrypointIsKnown = entrypoint != nil || base == "scratch"
        break
      }
      stage = dockerfile.stage(named: base)
    }
  }

  /// The words of an exec form, or `/bin/sh -c <text>` for a shell form.
  static func words(_ form: DockerInstruction.Form?) -> [String]? {
    switch form {
    case .exec(let elements): return elements.map(\.value)
    case .shell(let text?): return ["/bin/sh", "-c", text.value]
    case .shell(nil), nil: return nil
    }
  }
}

/// The process an event runs: entrypoint and arguments resolved from the spec and the image.
public struct EffectiveCommand: Equatable, Sendable {
  /// The full command line.
  public var argv: [String]
  /// For each word of `argv`, the index of the spec argument it comes from (nil: from the image).
  public var specArgumentIndex: [Int?]
  /// True when the image's shell-form ENTRYPOINT swallows the spec's arguments.
  public var argumentsIgnored: Bool
  /// False when the process starts with the base image's ENTRYPOINT, which we cannot see:
  /// `argv` then holds only what follows it.
  public var entrypointIsKnown = true

  public init(event: Event, image: ImageCommand?) {
    let arguments = event.arguments?.map(\.value)
    let fromSpec = { (values: [String]) in values.indices.map { Optional($0) } }
    if let entrypoint = event.entrypoint {
      argv = [entrypoint.value] + (arguments ?? [])
      specArgumentIndex = [nil] + fromSpec(arguments ?? [])
      argumentsIgnored = false
      return
    }
    if case .shell(let text?) = image?.entrypoint {
      argv = ["/bin/sh", "-c", text.value]
      specArgumentIndex = [nil, nil, nil]
      argumentsIgnored = !(arguments ?? []).isEmpty
      return
    }
    let entrypointWords = ImageCommand.words(image?.entrypoint) ?? []
    entrypointIsKnown = image?.entrypointIsKnown ?? false
    if let arguments {
      argv = entrypointWords + arguments
      specArgumentIndex = entrypointWords.map { _ in nil } + fromSpec(arguments)
    } else {
      let cmd = ImageCommand.words(image?.cmd) ?? []
      argv = entrypointWords + cmd
      specArgumentIndex = argv.map { _ in nil }
    }
    argumentsIgnored = false
  }

  /// The index in `argv` of the program that does the work, past init wrappers that run their
  /// arguments as a command (`tini --`, `dumb-init`, `env NAME=value`, `gosu user`); `argv.count`
  /// when nothing follows them.
  public var programIndex: Int {
    var index = 0
    while index < argv.count {
      switch argv[index].split(separator: "/").last.map(String.init) ?? argv[index] {
      case "tini", "tini-static", "dumb-init", "catatonit":
        index += 1
        while index < argv.count, argv[index].hasPrefix("-") {
          let option = argv[index]
          index += option == "-e" || option == "-p" ? 2 : 1
          if option == "--" { break }
        }
      case "env":
        index += 1
        while index < argv.count, argv[index] == "--" || argv[index] == "-i" || argv[index].contains("=") {
          index += 1
        }
      case "gosu", "su-exec":
        index += 2
      default:
        return index
      }
    }
    return argv.count
  }

  /// The program that does the work (see `programIndex`), if any.
  public var program: String? { programIndex < argv.count ? argv[programIndex] : nil }

  /// The index in `argv` of the script a shell runs with `-c`, if any.
  public var shellScriptIndex: Int? {
    let index = programIndex
    guard index < argv.count, ShellInvocation.isShell(argv[index]) else { return nil }
    return ShellInvocation.find(in: argv, from: index + 1)?.scriptIndex
  }
}
