import Foundation
import LifecycleProtocol
import Testing

/// "Run event" from the editor: lenses, the run action, `lifecycle-job.runEvent` with its log,
/// progress, summary and cancellation, and the outputs reaching completion and hover.
@Suite struct RunEventTests {
  static let capabilities: JSONValue = [
    "window": ["workDoneProgress": true],
    "textDocument": [
      "completion": ["completionItem": ["documentationFormat": ["markdown"]]],
      "hover": ["contentFormat": ["markdown"]],
    ],
  ]

  @Test func runAnEventFromTheEditor() throws {
    let spec = """
      name: rds
      events:
        start: ["-c", "echo applying; echo '{\\"db_host\\": {\\"value\\": \\"db.local\\"}, \\"password\\": {\\"value\\": \\"pw-9876\\", \\"sensitive\\": true}}' > /qovery-output/qovery-output.json"]
        delete: ["-c", "echo bye"]
      environment:
        URL: "{{DB_}}"

      """
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
    ])
    let (client, uri) = TestClient.opening(spec, in: job, capabilities: Self.capabilities)
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

    let reply = client.request(
      "workspace/executeCommand",
      ["command": "lifecycle-job.runEvent", "arguments": [.string(uri), "start"]],
      timeout: 30)
    let result = reply["result"] ?? reply
    #expect(result["status"] == 0 && result["timedOut"] == false, "\(reply.text)")
    let outputs = result["outputs"]?.arrayValue ?? []
    #expect(outputs.count == 2)
    #expect(outputs.first?["alias"] == "DB_HOST" && outputs.first?["value"] == "db.local")
    #expect(
      outputs.last?["alias"] == "PASSWORD" && outputs.last?["value"] == nil
        && outputs.last?["sensitive"] == true)
    // The log, the progress and the summary reached the client; the secret never did.
    let applying = client.notification("window/logMessage") { $0["message"] == "applying" }
    #expect(applying["type"] == 4)
    let progress = client.received { $0["method"] == "$/progress" }.compactMap {
      $0["params"]?["value"]?["kind"]?.stringValue
    }
    #expect(progress.first == "begin" && progress.last == "end", "\(progress)")
    let shown = client.notification("window/showMessage")
    #expect(shown["type"] == 3)
    #expect(
      shown["message"]?.stringValue?.hasSuffix("; outputs: DB_HOST=db.local, PASSWORD=••••••") == true,
      "\(shown.text)")
    #expect(client.received { $0.text.contains("pw-9876") }.isEmpty)
    // Completion and hover now know the outputs.
    let completion =
      client.request(
        "textDocument/completion", client.at(uri, ["line": 5, "character": 13]))["result"]?["items"]?
      .arrayValue ?? []
    let labels = completion.compactMap { $0["label"]?.stringValue }
    #expect(labels.contains("DB_HOST"), "\(labels)")
    try job.write("job/lifecycle-job.yaml", spec.replacingOccurrences(of: "{{DB_}}", with: "{{PASSWORD}}"))
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": .string(uri), "version": 2],
        "contentChanges": [["text": .string(spec.replacingOccurrences(of: "{{DB_}}", with: "{{PASSWORD}}"))]],
      ])
    let hover = client.request("textDocument/hover", client.at(uri, ["line": 5, "character": 12]))
    let text = hover["result"]?["contents"]?["value"]?.stringValue ?? hover.text
    #expect(text.contains("- Output `PASSWORD` of the job `rds`"), "\(text)")
    #expect(text.hasSuffix("last run in `local`: `••••••` (sensitive)"), "\(text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func cancellingARunStopsTheJobAndTheServerKeepsAnswering() throws {
    let spec = """
      name: slow
      events:
        start: ["-c", "sleep 300 & echo $! > grandchild.pid; echo started; sleep 300"]

      """
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
    ])
    let (client, uri) = TestClient.opening(spec, in: job, capabilities: Self.capabilities)
    let id = client.sendRequest(
      "workspace/executeCommand",
      ["command": "lifecycle-job.runEvent", "arguments": [.string(uri), "start"]])
    _ = client.notification("window/logMessage", timeout: 30) { $0["message"] == "started" }
    // While the job runs, other requests are answered.
    let hover = client.request("textDocument/hover", client.at(uri, ["line": 0, "character": 1]))
    #expect(hover["result"]?["contents"] != nil)
    client.notify("$/cancelRequest", ["id": .number(Double(id))])
    let reply = client.response(to: id, timeout: 30)
    #expect(reply["error"]?["code"] == -32800, "\(reply.text)")
    let pid = try String(contentsOfFile: job.path("job/grandchild.pid"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(kill(pid_t(pid)!, 0) != 0, "the job's grandchild \(pid) is still alive")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func nothingRunsOnOpenOrSave() throws {
    let spec = "name: quiet\nevents:\n  start: [\"-c\", \"touch ran\"]\n"
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
    ])
    let (client, uri) = TestClient.opening(spec, in: job, capabilities: Self.capabilities)
    client.notify("textDocument/didSave", ["textDocument": ["uri": .string(uri)]])
    _ = client.diagnostics(for: uri)
    _ = client.request("textDocument/codeLens", ["textDocument": ["uri": .string(uri)]])
    #expect(client.shutdownAndExit() == 0)
    #expect(!FileManager.default.fileExists(atPath: job.path("job/ran")))
  }

  @Test func cancellingTheProgressStopsTheJobAndRepliesWithItsStatus() throws {
    let spec = "name: slow\nevents:\n  start: [\"-c\", \"echo started; sleep 300\"]\n"
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
    ])
    let (client, uri) = TestClient.opening(spec, in: job, capabilities: Self.capabilities)
    let id = client.sendRequest(
      "workspace/executeCommand",
      [
        "command": "lifecycle-job.runEvent", "arguments": [.string(uri), "start"],
        "workDoneToken": "my-token",
      ])
    _ = client.notification("window/logMessage", timeout: 30) { $0["message"] == "started" }
    client.notify("window/workDoneProgress/cancel", ["token": "my-token"])
    let reply = client.response(to: id, timeout: 30)
    #expect(reply["result"]?["status"] == 130, "\(reply.text)")
    let end = client.notification("$/progress") { $0["token"] == "my-token" && $0["value"]?["kind"] == "end" }
    #expect(end["value"]?["message"]?.stringValue?.contains("exit 130") == true, "\(end.text)")
    #expect(client.shutdownAndExit() == 0)
  }
}
