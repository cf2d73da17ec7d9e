/// The keys a spec may hold, where, and what each means: one table behind unknown-key checks,
/// completion and hover.
public struct SpecKey: Equatable, Sendable {
  public var name: String
  /// Markdown: what the key is for, its default and its form.
  public var documentation: String
  /// The keys allowed in its mapping value, when its value is a mapping of fixed keys.
  public var children: [SpecKey]

  init(_ name: String, _ documentation: String, children: [SpecKey] = []) {
    self.name = name
    self.documentation = documentation
    self.children = children
  }
}

public enum SpecSchema {
  static let eventKeys: [SpecKey] = [
    SpecKey(
      "entrypoint",
      "The executable to run, exactly one token (`/bin/sh`). Replaces the image's ENTRYPOINT and CMD."),
    SpecKey(
      "arguments",
      "The arguments, a list of strings (`[\"-c\", \"terraform apply -auto-approve\"]`). Replace the image's CMD. Not shell-expanded: `$VAR`, `&&` and `>` only work inside `sh -c`; `$(VAR)` is expanded by the platform."
    ),
  ]

  static func eventKey(_ name: String, _ when: String) -> SpecKey {
    SpecKey(
      name,
      "Runs when the environment is \(when). A list of arguments (`[\"-c\", \"...\"]`), or a mapping with `entrypoint` and/or `arguments`.",
      children: eventKeys)
  }

  /// The keys of the document's root mapping.
  public static let topLevel: [SpecKey] = [
    SpecKey("name", "The job's name (required)."),
    SpecKey(
      "type",
      "The lifecycle type: `generic` (default), `terraform` or `cloudformation`. It only changes how the platform presents the job."
    ),
    SpecKey(
      "source",
      "Where the image comes from. Default: the `Dockerfile` in this folder.",
      children: [
        SpecKey(
          "root",
          "The root application path, relative to this file (default `.`). Never outside the repository."),
        SpecKey("dockerfile", "The Dockerfile, relative to `root` (default `Dockerfile`)."),
        SpecKey(
          "image", "A prebuilt image to run instead of building a Dockerfile (`hashicorp/terraform:1.9`)."),
        SpecKey("target", "The Dockerfile stage to build (`docker build --target`)."),
      ]),
    SpecKey(
      "events",
      "What runs on `start`, `stop` and `delete` (at least one).",
      children: [
        eventKey("start", "deployed, and on every redeploy: it must be idempotent"),
        eventKey("stop", "stopped"),
        eventKey("delete", "deleted: remove what start created"),
      ]),
    SpecKey(
      "timeout",
      "The maximum duration in seconds, covering all retries (default 300). Above 3600 the job risks being killed during maintenance."
    ),
    SpecKey("restarts", "How many times a failed run is retried (default 0)."),
    SpecKey(
      "resources",
      "CPU and memory of the job's container.",
      children: [
        SpecKey("cpu", "CPU: millicores as `500m` (default, minimum `10m`), or vCPUs as a number (`0.5`)."),
        SpecKey("memory", "Memory: `256Mi`, `1Gi`, or a number of MB (default 512)."),
      ]),
    SpecKey(
      "environment",
      "Variables of the job: `NAME: value`. Values may reference other variables as `{{NAME}}`."),
    SpecKey(
      "secrets",
      "Names of secret variables; their values are supplied at run time and never committed."),
    SpecKey(
      "aliases",
      "Second names for existing variables: `ALIAS: TARGET` (`TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID`)."
    ),
  ]

  /// The allowed keys of the mapping at `path` (`[]` = root, `["events", "start"]`), or nil when
  /// that mapping's keys are free (`environment`, `aliases`).
  public static func keys(at path: [String]) -> [SpecKey]? {
    var keys = topLevel
    for component in path {
      guard let key = keys.first(where: { $0.name == component }), !key.children.isEmpty else { return nil }
      keys = key.children
    }
    return keys
  }

  /// The documentation of the key at `path` (`["resources", "cpu"]`).
  public static func key(at path: [String]) -> SpecKey? {
    guard let last = path.last, let keys = keys(at: Array(path.dropLast())) else { return nil }
    return keys.first { $0.name == last }
  }
}
