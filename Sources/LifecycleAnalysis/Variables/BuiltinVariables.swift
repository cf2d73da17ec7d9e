/// The variables the platform gives every job, and the name patterns of those it gives per
/// service, database and job output.
public enum BuiltinVariables {
  /// A built-in variable with its meaning.
  public struct Variable: Equatable, Sendable {
    public var name: String
    public var documentation: String
  }

  /// The variables every job sees.
  public static let fixed: [Variable] = [
    Variable(name: "QOVERY_PROJECT_ID", documentation: "The id of the project."),
    Variable(
      name: "QOVERY_ENVIRONMENT_ID",
      documentation:
        "The id of the environment: alias it as `TF_VAR_qovery_environment_id` to give each environment its own Terraform state."
    ),
    Variable(name: "QOVERY_ENVIRONMENT_NAME", documentation: "The name of the environment."),
    Variable(
      name: "QOVERY_ENVIRONMENT_TYPE", documentation: "`PRODUCTION`, `STAGING`, `DEVELOPMENT` or `PREVIEW`."),
    Variable(
      name: "QOVERY_CLOUD_PROVIDER_REGION",
      documentation: "The cloud region the environment runs in (`us-east-2`)."),
    Variable(
      name: "QOVERY_KUBERNETES_CLUSTER_NAME",
      documentation: "The name of the Kubernetes cluster that runs the job."),
    Variable(
      name: "QOVERY_KUBERNETES_NAMESPACE_NAME", documentation: "The Kubernetes namespace of the environment."),
    Variable(name: "QOVERY_JOB_ID", documentation: "The id of this job."),
    Variable(name: "QOVERY_JOB_NAME", documentation: "The name of this job."),
    Variable(name: "QOVERY_JOB_ACTION", documentation: "The event being run: `START`, `STOP` or `DELETE`."),
  ]

  /// The database kinds whose connection details the platform publishes.
  public static let databaseKinds = ["POSTGRESQL", "MYSQL", "MONGODB", "REDIS"]
  /// What each database publishes, as `QOVERY_<KIND>_Z<ID>_<FIELD>`.
  public static let databaseFields = [
    "HOST", "HOST_INTERNAL", "PORT", "LOGIN", "PASSWORD", "DEFAULT_DATABASE_NAME", "DATABASE_URL",
    "DATABASE_URL_INTERNAL",
  ]
  /// Other services publish `QOVERY_<KIND>_Z<ID>_<FIELD>` too.
  public static let serviceKinds = ["APPLICATION", "CONTAINER", "JOB", "HELM"]

  /// What the platform gives a name, when it is one of its own.
  public enum Match: Equatable, Sendable {
    /// A variable every job sees.
    case fixed(Variable)
    /// A database's connection detail: its kind and field.
    case database(kind: String, field: String)
    /// A detail of another service.
    case service(kind: String, field: String)
    /// A job's output (`QOVERY_OUTPUT_JOB_Z<ID>_<KEY>`).
    case jobOutput(key: String)
  }

  /// How the platform defines `name`, or nil when it does not.
  public static func match(_ name: String) -> Match? {
    if let variable = fixed.first(where: { $0.name == name }) { return .fixed(variable) }
    guard name.hasPrefix("QOVERY_") else { return nil }
    let parts = name.dropFirst("QOVERY_".count).split(
      separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
    if parts.count == 3, parts[0] == "OUTPUT", parts[1] == "JOB" {
      let rest = parts[2].split(separator: "_", maxSplits: 1)
      if rest.count == 2, isShortID(rest[0]) { return .jobOutput(key: String(rest[1])) }
      return nil
    }
    let kindAndRest = name.dropFirst("QOVERY_".count).split(separator: "_", maxSplits: 2)
    guard kindAndRest.count == 3, isShortID(kindAndRest[1]) else { return nil }
    let kind = String(kindAndRest[0])
    let field = String(kindAndRest[2])
    if databaseKinds.contains(kind), databaseFields.contains(field) {
      return .database(kind: kind, field: field)
    }
    if serviceKinds.contains(kind), !field.isEmpty { return .service(kind: kind, field: field) }
    return nil
  }

  /// `Z` and upper-case hex digits, the platform's short id.
  static func isShortID<S: StringProtocol>(_ text: S) -> Bool {
    text.count >= 2 && text.first == "Z"
      && text.dropFirst().allSatisfy { $0.isNumber || ("A"..."F").contains($0) }
  }

  /// For a `QOVERY_` name the platform does not define, the nearest name it does: a fixed variable,
  /// or the same database or service with the nearest field.
  public static func suggestion(for name: String) -> String? {
    let kindAndRest = name.dropFirst("QOVERY_".count).split(separator: "_", maxSplits: 2)
    if kindAndRest.count == 3, isShortID(kindAndRest[1]) {
      let prefix = "QOVERY_\(kindAndRest[0])_\(kindAndRest[1])_"
      if let kind = DidYouMean.suggestion(for: String(kindAndRest[0]), among: databaseKinds + serviceKinds),
        kind != String(kindAndRest[0])
      {
        return "QOVERY_\(kind)_\(kindAndRest[1])_\(kindAndRest[2])"
      }
      if databaseKinds.contains(String(kindAndRest[0])),
        let field = DidYouMean.suggestion(for: String(kindAndRest[2]), among: databaseFields)
      {
        return prefix + field
      }
    }
    return DidYouMean.suggestion(for: name, among: fixed.map(\.name))
  }
}
