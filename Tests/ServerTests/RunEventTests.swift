import Foundation
import LifecycleProtocol
import Testing

/// "Run event" from the editor: lenses, the run action, `lifecycle-job.runEvent` answered at
/// once (started, or refused with the reason), then its log, progress, one summary naming the
/// log file, cancellation, and the outputs reaching completion and hover.
@Suite struct RunEventTests {
  static let capabilities: JSONValue = [
    "window": ["workDoneProgress": true, "showDocument": ["support": true]],
    "textDocument": [
      "completion": ["completionItem": ["documentationFormat": ["markdown"]]],
      "hover": ["contentFormat": ["markdown"]],
    ],
  ]

  static let dockerfile = "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n"

  /// The `run` settings of these tests: the process engine and a log folder in the job.
  static func runSettings(_ job: TemporaryJob, _ extra: [String: JSONValue] = [:]) -> JSONValue {
    var settings: [String: JSONValue] = ["engine": "process", "logFolder": .string(job.path("logs"))]
    settings.merge(extra) { $1 }
    return .object(settings)
  }

  /// A server on `job` with `job/lifecycle-job.yaml` open as `text`.
  static func opening(_ text: String, in job: TemporaryJob, run: [String: JSONValue] = [:]) -> (
    TestClient, String
  ) {
    let client = TestClient()
    client.initialize(
      root: job.root, capabilities: capabilities,
      options: ["diagnosticsDelayMilliseconds": 0, "run": runSettings(job, run)])
    let uri = job.uri("job/lifecycle-job.yaml")
    client.open(uri, text)
    return (client, uri)
  }

  static func run(_ event: String, _ uri: String, command: String = "lifecycle-job.runEvent") -> JSONValue {
    ["command": .string(command), "arguments": [.string(uri), .string(event)]]
  }

  /// The message with its durations and the runner's job id replaced by `N` and `ID`.
  static func normalized(_ text: String) -> String {
    text.replacingOccurrences(of: #"\d+\.\d+ s"#, with: "N s", options: .regularExpression)
      .replacingOccurrences(of: #"job id [0-9a-f-]+"#, with: "job id ID", options: .regularExpression)
  }

  /// The log file the reply names, once the summary was written to it.
  static func logFile(of reply: JSONValue) -> String {
    guard let path = reply["result"]?["logFile"]?.stringValue else { return "no log file in \(reply.text)" }
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "cannot read \(path)"
    // Where mount namespaces are missing the runner warns that it rewrites `/qovery-output`.
    return normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.contains("[output-folder-rewritten]") }.joined(separator: "\n")
  }

  @Test func runAnEventFromTheEditor() throws {
    let spec = """
      name: rds
      events:
        start: ["-c", "echo applying; echo '{\\"db_host\\": {\\"value\\": \\"db.local\\"}, \\"password\\": {\\"value\\": \\"pw-9876\\", \\"sensitive\\": true}}' > /qovery-output/qovery-output.json"]
        delete: ["-c", "echo bye"]
      environment:
        URL: "{{DB_}}"

      """
    let job = try TemporaryJob(["job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile])
    let (client, uri) = Self.opening(spec, in: job)
    let lenses = client.request("textDocument/codeLens", ["textDocument": ["uri": .string(uri)]])["result"]
    #expect(
      lenses == [
        [
          "range": ["start": ["line": 2, "character": 2], "end": ["line": 2, "character": 7]],
          "command": [
            "title": "▶ Run start", "command": "lifecycle-job.runEvent",
            "arguments": [.string(uri), "start"],
          ],
        ],
        [
          "range": ["start": ["line": 3, "character": 2], "end": ["line": 3, "character": 8]],
          "command": [
            "title": "▶ Run delete", "command": "lifecycle-job.runEvent",
            "arguments": [.string(uri), "delete"],
          ],
        ],
      ], "\(lenses?.text ?? "")")
    let actions =
      client.request(
        "textDocument/codeAction",
        [
          "textDocument": ["uri": .string(uri)],
          "range": ["start": ["line": 2, "character": 4], "end": ["line": 2, "character": 4]],
          "context": ["diagnostics": []],
        ])["result"]?.arrayValue ?? []
    #expect(actions.compactMap { $0["title"]?.stringValue } == ["Run start"])

    let reply = client.request("workspace/executeCommand", Self.run("start", uri))
    let logPath = reply["result"]?["logFile"]?.stringValue ?? ""
    #expect(reply["result"]?["started"] == true, "\(reply.text)")
    #expect(
      logPath.hasPrefix(job.path("logs") + "/job-start-") && logPath.hasSuffix("-1.log"), "\(reply.text)")
    let started = client.notification("window/showMessage")
    #expect(started == ["type": 3, "message": .string("Run start — job: started; log: \(logPath)")])
    let summary = client.notification("window/showMessage", timeout: 30)
    #expect(
      Self.normalized(summary["message"]?.stringValue ?? summary.text)
        == "Run start — job: exit 0 after N s; outputs: DB_HOST=db.local, PASSWORD=••••••; log: \(logPath)")
    #expect(summary["type"] == 3)
    // The log reached the client at a level editors show, the progress began and ended.
    let applying = client.notification("window/logMessage") { $0["message"] == "applying" }
    #expect(applying == ["type": 3, "message": "applying"])
    let progress = client.received { $0["method"] == "$/progress" }.compactMap {
      $0["params"]?["value"]?["kind"]?.stringValue
    }
    #expect(progress.first == "begin" && progress.last == "end", "\(progress)")
    // A run that worked opens nothing.
    #expect(client.received { $0["method"] == "window/showDocument" }.isEmpty)
    #expect(client.received { $0.text.contains("pw-9876") }.isEmpty)
    #expect(
      Self.logFile(of: reply) == """
        Run start — job (\(job.path("job/lifecycle-job.yaml")))
        lifecycle-job: engine: process, environment `local`, job id ID
        applying
        lifecycle-job: output QOVERY_OUTPUT_JOB_Z\(Self.shortID(logPath, job))_DB_HOST (alias DB_HOST) = db.local
        lifecycle-job: output QOVERY_OUTPUT_JOB_Z\(Self.shortID(logPath, job))_PASSWORD (alias PASSWORD) = ••••••
        lifecycle-job: Run start — job: exit 0 after N s; outputs: DB_HOST=db.local, PASSWORD=••••••; log: \(logPath)

        """)
    // Completion and hover now know the outputs.
    let completion =
      client.request(
        "textDocument/completion", client.at(uri, ["line": 5, "character": 13]))["result"]?["items"]?
      .arrayValue ?? []
    let labels = completion.compactMap { $0["label"]?.stringValue }
    #expect(labels.contains("DB_HOST"), "\(labels)")
    let edited = spec.replacingOccurrences(of: "{{DB_}}", with: "{{PASSWORD}}")
    try job.write("job/lifecycle-job.yaml", edited)
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": .string(uri), "version": 2],
        "contentChanges": [["text": .string(edited)]],
      ])
    let hover = client.request("textDocument/hover", client.at(uri, ["line": 5, "character": 12]))
    let text = hover["result"]?["contents"]?["value"]?.stringValue ?? hover.text
    #expect(text.contains("- Output `PASSWORD` of the job `rds`"), "\(text)")
    #expect(text.hasSuffix("last run in `local`: `••••••` (sensitive)"), "\(text)")
    #expect(client.shutdownAndExit() == 0)
  }

  /// The short id the runner gave the job, read back from the log file.
  static func shortID(_ logPath: String, _ job: TemporaryJob) -> String {
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    guard let range = text.range(of: #"QOVERY_OUTPUT_JOB_Z[0-9A-F]{8}"#, options: .regularExpression) else {
      return "?"
    }
    return String(text[range].suffix(8))
  }

  @Test func aLongRunIsAnsweredAtOnceRefusedTwiceAndStopped() throws {
    let spec = """
      name: slow
      events:
        start: ["-c", "sleep 300 & echo $! > grandchild.pid; echo started; sleep 300"]

      """
    let job = try TemporaryJob(["job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile])
    let (client, uri) = Self.opening(spec, in: job)
    let sent = Date()
    let reply = client.request("workspace/executeCommand", Self.run("start", uri))
    let replySeconds = Date().timeIntervalSince(sent)
    #expect(reply["result"]?["started"] == true, "\(reply.text)")
    #expect(replySeconds < 2.5, "the run's command was answered after \(replySeconds) s")
    _ = client.notification("window/logMessage", timeout: 30) { $0["message"] == "started" }
    // While the job runs, other requests are answered, and a second run of the event is refused.
    let hover = client.request("textDocument/hover", client.at(uri, ["line": 0, "character": 1]))
    #expect(hover["result"]?["contents"] != nil)
    let second = client.request("workspace/executeCommand", Self.run("start", uri))
    let refusal = second["error"]?["message"]?.stringValue ?? second.text
    #expect(
      refusal.hasPrefix("Run start — job: refused: this event is already running (for ")
        && refusal.hasSuffix(" s); wait for its end or stop it (lifecycle-job.stopRun)"), "\(refusal)")
    let stop = client.request(
      "workspace/executeCommand", Self.run("start", uri, command: "lifecycle-job.stopRun"))
    #expect(stop == ["jsonrpc": "2.0", "id": stop["id"] ?? nil, "result": nil])
    _ = client.notification("window/showMessage")  // started
    let summary = client.notification("window/showMessage", timeout: 30)
    #expect(
      Self.normalized(summary["message"]?.stringValue ?? summary.text)
        == "Run start — job: exit 130 after N s; log: \(reply["result"]?["logFile"]?.stringValue ?? "")")
    #expect(summary["type"] == 1)
    // A failed run offers its log, without taking the focus.
    let shown = client.waitFor(timeout: 10, "window/showDocument") { $0["method"] == "window/showDocument" }
    #expect(
      shown["params"] == [
        "uri": .string(URL(fileURLWithPath: reply["result"]?["logFile"]?.stringValue ?? "").absoluteString),
        "takeFocus": false,
      ], "\(shown.text)")
    let pid = try String(contentsOfFile: job.path("job/grandchild.pid"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(kill(pid_t(pid)!, 0) != 0, "the job's grandchild \(pid) is still alive")
    let again = client.request(
      "workspace/executeCommand", Self.run("start", uri, command: "lifecycle-job.stopRun"))
    #expect(again["error"] == ["code": -32803, "message": "Run start — job: not running"])
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func nothingRunsOnOpenOrSave() throws {
    let spec = "name: quiet\nevents:\n  start: [\"-c\", \"touch ran\"]\n"
    let job = try TemporaryJob(["job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile])
    let (client, uri) = Self.opening(spec, in: job)
    client.notify("textDocument/didSave", ["textDocument": ["uri": .string(uri)]])
    _ = client.diagnostics(for: uri)
    _ = client.request("textDocument/codeLens", ["textDocument": ["uri": .string(uri)]])
    #expect(client.shutdownAndExit() == 0)
    #expect(!FileManager.default.fileExists(atPath: job.path("job/ran")))
  }

  @Test func cancellingTheProgressStopsTheJob() throws {
    let spec = "name: slow\nevents:\n  start: [\"-c\", \"echo started; sleep 300\"]\n"
    let job = try TemporaryJob(["job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile])
    let (client, uri) = Self.opening(spec, in: job)
    let reply = client.request("workspace/executeCommand", Self.run("start", uri))
    #expect(reply["result"]?["started"] == true, "\(reply.text)")
    let begin = client.notification("$/progress", timeout: 30) { $0["value"]?["kind"] == "begin" }
    #expect(
      begin["value"] == ["kind": "begin", "title": "Run start — job", "cancellable": true], "\(begin.text)")
    _ = client.notification("window/logMessage", timeout: 30) { $0["message"] == "started" }
    client.notify("window/workDoneProgress/cancel", ["token": begin["token"] ?? nil])
    let end = client.notification("$/progress", timeout: 30) { $0["value"]?["kind"] == "end" }
    #expect(
      Self.normalized(end["value"]?["message"]?.stringValue ?? end.text)
        == "Run start — job: exit 130 after N s; log: \(reply["result"]?["logFile"]?.stringValue ?? "")")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func aMissingSecretRefusesTheRunAndNamesIt() throws {
    let spec = """
      name: secretive
      events:
        start: ["-c", "echo token is $API_TOKEN"]
      secrets:
        - API_TOKEN

      """
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile,
      "secrets.env": "# for editor runs\nexport API_TOKEN='tok-from-file'\n",
    ])
    let (client, uri) = Self.opening(spec, in: job)
    let refused = client.request("workspace/executeCommand", Self.run("start", uri))
    let logPath = try #require(
      (try FileManager.default.contentsOfDirectory(atPath: job.path("logs"))).first.map {
        job.path("logs/" + $0)
      })
    #expect(
      refused["error"]
        == [
          "code": -32803,
          "message": .string(
            "Run start — job: refused: no value for the secret `API_TOKEN`: give it in the setting `run.env`, in the file the setting `run.envFile` names, or in the editor's environment; nothing was run; log: \(logPath)"
          ),
        ], "\(refused.text)")
    // The env file named by the settings gives it; the job's log masks it.
    client.notify(
      "workspace/didChangeConfiguration",
      ["settings": ["lifecycle-job": ["run": Self.runSettings(job, ["envFile": "secrets.env"])]]])
    let fromFile = client.request("workspace/executeCommand", Self.run("start", uri))
    #expect(fromFile["result"]?["started"] == true, "\(fromFile.text)")
    _ = client.notification("window/logMessage", timeout: 30) { $0["message"] == "token is ••••••" }
    _ = client.notification("window/showMessage")
    let summary = client.notification("window/showMessage", timeout: 30)
    #expect(summary["type"] == 3, "\(summary.text)")
    // `run.env` wins over the file.
    client.notify(
      "workspace/didChangeConfiguration",
      [
        "settings": [
          "lifecycle-job": [
            "run": Self.runSettings(
              job, ["envFile": "secrets.env", "env": ["API_TOKEN": "tok-from-settings"]])
          ]
        ]
      ])
    let fromSettings = client.request("workspace/executeCommand", Self.run("start", uri))
    #expect(fromSettings["result"]?["started"] == true, "\(fromSettings.text)")
    _ = client.notification("window/showMessage")
    _ = client.notification("window/showMessage", timeout: 30)
    let log = Self.logFile(of: fromSettings)
    #expect(log.contains("token is ••••••\n"), "\(log)")
    #expect(client.received { $0.text.contains("tok-from") }.isEmpty)
    #expect(!log.contains("tok-from"))
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func unsavedEditsRefuseTheRun() throws {
    let spec = "name: edited\nevents:\n  start: [\"-c\", \"touch ran\"]\n"
    let job = try TemporaryJob(["job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile])
    let (client, uri) = Self.opening(spec, in: job)
    let dockerfileURI = job.uri("job/Dockerfile")
    client.open(dockerfileURI, Self.dockerfile + "RUN true\n", language: "dockerfile")
    let refused = client.request("workspace/executeCommand", Self.run("start", uri))
    #expect(
      refused["error"]
        == [
          "code": -32803,
          "message":
            "Run start — job: refused: Dockerfile has unsaved changes, and the run would use the file on disk; save it first",
        ], "\(refused.text)")
    #expect(!FileManager.default.fileExists(atPath: job.path("job/ran")))
    #expect(client.shutdownAndExit() == 0)
  }
}
