import LifecycleAnalysis
import LifecycleProtocol
import LifecycleSyntax
import LifecycleWorkspace

/// initialize / initialized / shutdown, and the settings the client sends.
extension LanguageServer {
  func initialize(_ params: InitializeRequest) throws(ResponseError) -> InitializeResult {
    client = params.capabilities
    let offered = params.capabilities.general?.positionEncodings ?? []
    let encoding: PositionEncoding = offered.contains("utf-8") ? .utf8 : .utf16
    converter = PositionConverter(encoding: encoding)
    var roots = (params.workspaceFolders ?? []).compactMap { DocumentURI.path($0.uri) }
    if roots.isEmpty, let root = params.rootUri.flatMap(DocumentURI.path) ?? params.rootPath {
      roots = [root]
    }
    workspace.setRoots(roots)
    if let processId = params.processId, processId > 0, processId <= Int(Int32.max) {
      parentProcess = Int32(processId)
    }
    if let options = params.initializationOptions {
      apply(settings: options)
      if let delay = options["diagnosticsDelayMilliseconds"]?.numberValue, delay >= 0 {
        diagnosticsDelaySeconds = delay / 1000
      }
    }
    phase = .running
    return InitializeResult(
      capabilities: Self.capabilities(for: client, encoding: encoding.rawValue),
      serverInfo: .init(name: "lifecycle-job", version: Self.version))
  }

  func initialized() {
    guard !initializedReceived else {
      Log.write("a second `initialized` ignored")
      return
    }
    initializedReceived = true
    // After the reply to `initialize`, not before it.
    workspace.startIndexing(inbox: inbox)
    if client.workspace?.didChangeWatchedFiles?.dynamicRegistration == true {
      let watchers = ["**/*"].map { FileSystemWatcher(globPattern: $0) }
      request(
        RegistrationParams.method,
        RegistrationParams(registrations: [
          Registration(
            id: "lifecycle-job-watched-files", method: DidChangeWatchedFilesNotification.method,
            registerOptions: DidChangeWatchedFilesRegistrationOptions(watchers: watchers))
        ])
      ) { _ in }
    }
    requestConfiguration()
  }

  func shutdown() -> JSONValue? {
    phase = .shutDown
    publishDue.removeAll()
    return nil
  }

  /// Folders added and removed while the server runs: the specs are indexed again.
  func didChangeWorkspaceFolders(_ params: DidChangeWorkspaceFoldersNotification) {
    let removed = Set(params.event.removed.compactMap { DocumentURI.path($0.uri) }.map(workspace.canonical))
    var roots = workspace.roots.filter { !removed.contains($0) }
    for folder in params.event.added {
      guard let path = DocumentURI.path(folder.uri) else { continue }
      let root = workspace.canonical(path)
      if !roots.contains(root) { roots.append(root) }
    }
    guard roots != workspace.roots else { return }
    workspace.setRoots(roots)
    workspace.indexedSpecs = nil
    workspace.invalidate()
    workspace.startIndexing(inbox: inbox)
    scheduleAll(delay: 0)
  }

  /// Asks the client for the `lifecycle-job` settings, when it can answer.
  func requestConfiguration() {
    guard client.workspace?.configuration == true else { return }
    request(
      ConfigurationParams.method, ConfigurationParams(items: [ConfigurationItem(section: "lifecycle-job")])
    ) {
      [self] response in
      guard case .response(_, let body, nil) = response,
        let values = JSONCoding.result([JSONValue].self, from: body), let first = values.first
      else { return }
      apply(settings: first)
    }
  }

  func didChangeConfiguration(_ params: DidChangeConfigurationNotification) {
    if let settings = params.settings?["lifecycle-job"] {
      apply(settings: settings)
    } else {
      requestConfiguration()
    }
  }

  /// `{"severity": {"<code>": "error|warning|information|hint|off"}}`; unknown codes and levels
  /// are reported to the client and skipped.
  func apply(settings value: JSONValue) {
    applyRunSettings(value["run"])
    if let environment = value["environment"]?.stringValue, !environment.isEmpty,
      environment != runEnvironment
    {
      runEnvironment = environment
      workspace.invalidate()
    }
    guard let severities = value["severity"]?.objectValue else { return }
    var overrides: [String: Severity?] = [:]
    for (code, level) in severities.sorted(by: { $0.key < $1.key }) {
      guard Rule.named(code) != nil else {
        log("lifecycle-job.severity: unknown code `\(code)` (see `lifecycle-job explain`)", type: 2)
        continue
      }
      switch level.stringValue {
      case "off"?: overrides[code] = .some(nil)
      case let name? where Severity(rawValue: name) != nil: overrides[code] = .some(Severity(rawValue: name)!)
      default:
        log("lifecycle-job.severity.\(code): expected error, warning, information, hint or off", type: 2)
      }
    }
    let changed = AnalysisSettings(severityOverrides: overrides)
    guard changed != settings else { return }
    settings = changed
    workspace.invalidate()
    scheduleAll(delay: 0)
  }
}
