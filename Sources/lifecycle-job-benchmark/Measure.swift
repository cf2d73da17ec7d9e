import Foundation

/// Timings of one measured operation, in milliseconds.
struct Timings {
  var samples: [Double]

  var median: Double { percentile(0.5) }
  var p99: Double { percentile(0.99) }

  func percentile(_ fraction: Double) -> Double {
    guard !samples.isEmpty else { return .nan }
    let sorted = samples.sorted()
    let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded(.up)))
    return sorted[index]
  }
}

/// Runs `body` `warmup` times unmeasured, then `iterations` times measured.
func measure(iterations: Int, warmup: Int = 3, _ body: () throws -> Void) rethrows -> Timings {
  for _ in 0..<warmup { try body() }
  var samples: [Double] = []
  samples.reserveCapacity(iterations)
  for _ in 0..<iterations {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  return Timings(samples: samples)
}

/// Measures two operations turn about (`first`, `second`, `first`, …), so a ratio of their
/// figures compares them under the same conditions of the machine, not one run's against the
/// other's a minute later.
func measureSideBySide(
  iterations: Int, warmup: Int = 3, _ first: () throws -> Void, _ second: () throws -> Void
) rethrows -> (Timings, Timings) {
  var firsts = Timings(samples: [])
  var seconds = Timings(samples: [])
  for index in 0..<(warmup + iterations) {
    let one = try measure(iterations: 1, warmup: 0, first)
    let other = try measure(iterations: 1, warmup: 0, second)
    guard index >= warmup else { continue }
    firsts.samples += one.samples
    seconds.samples += other.samples
  }
  return (firsts, seconds)
}

/// The report: one row per figure, printed as a Markdown table.
struct Report {
  struct Row {
    var name: String
    var value: String
    var target: String
    var verdict: String
  }

  var rows: [Row] = []

  mutating func add(_ name: String, _ value: String, target: String = "", met: Bool? = nil) {
    let verdict = met.map { $0 ? "met" : "MISSED" } ?? ""
    rows.append(Row(name: name, value: value, target: target, verdict: verdict))
    FileHandle.standardError.write(
      Data("  \(name): \(value)\(target.isEmpty ? "" : "  (target \(target): \(verdict))")\n".utf8))
  }

  mutating func timings(_ name: String, _ timings: Timings, targetP99: Double? = nil) {
    let value = String(
      format: "median %.2f ms, p99 %.2f ms (n=%d)", timings.median, timings.p99, timings.samples.count)
    if let targetP99 {
      add(name, value, target: String(format: "p99 < %.0f ms", targetP99), met: timings.p99 < targetP99)
    } else {
      add(name, value)
    }
  }

  func markdown() -> String {
    var lines = ["| Measure | Figure | Target | |", "|---|---|---|---|"]
    for row in rows { lines.append("| \(row.name) | \(row.value) | \(row.target) | \(row.verdict) |") }
    return lines.joined(separator: "\n")
  }
}

/// The resident memory of a process, in kilobytes, from `/proc/<pid>/status` (`field`: VmRSS,
/// VmHWM).
func residentKilobytes(pid: Int32, field: String = "VmRSS") -> Int? {
  guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
  for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
  }
  return nil
}

/// Runs a command to its end (output discarded); returns its status and wall time in
/// milliseconds.
@discardableResult
func runProcess(_ arguments: [String]) throws -> (status: Int32, milliseconds: Double) {
  let start = DispatchTime.now().uptimeNanoseconds
  let status = try Child(arguments, pipes: false).wait()
  return (status, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}

/// The executable `name` on PATH, through pyenv's shim to the real binary (a shim is a shell
/// script that would add its own start-up to every figure).
func which(_ name: String) -> String? {
  for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
    let candidate = "\(folder)/\(name)"
    guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
    if candidate.contains("/.pyenv/shims/") {
      let pyenv = Process()
      pyenv.executableURL = URL(fileURLWithPath: "/bin/sh")
      pyenv.arguments = ["-c", "pyenv which \(name)"]
      let pipe = Pipe()
      pyenv.standardOutput = pipe
      pyenv.standardError = FileHandle.nullDevice
      try? pyenv.run()
      pyenv.waitUntilExit()
      let real = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      if pyenv.terminationStatus == 0, !real.isEmpty { return real }
    }
    return candidate
  }
  return nil
}
