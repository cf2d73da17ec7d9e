/// A request the client sends: its params are the struct itself, its reply is `Response`, so a
/// handler cannot answer with the wrong shape.
public protocol LSPRequest: Decodable, Sendable {
  associatedtype Response: Encodable & Sendable
  static var method: String { get }
}

/// A notification the client sends.
public protocol LSPNotification: Decodable, Sendable {
  static var method: String { get }
}
