import Foundation
import Testing

@testable import LifecycleSyntax

@Suite struct StackDepthTests {
  /// The deepest documents the readers accept must be safe even on a thread with a 512 KiB stack
  /// (the smallest a server worker could get).
  @Test func deepestAcceptedDocumentsFitInASmallStack() {
    let depth = YAMLReader.maximumDepth - 2
    let flow = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    // A block mapping in a mapping, `depth` levels deep.
    let block =
      (0..<depth - 1).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " x"
    let jsonArrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    nonisolated(unsafe) var results: [Bool] = []
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      results.append(YAMLReader.read(SourceText(flow)).root != nil)
      results.append(YAMLReader.read(SourceText(block)).root != nil)
      results.append(JSONDocumentReader.read(SourceText(jsonArrays)).root != nil)
      done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
    #expect(results == [true, true, true])
  }
}
