#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A request id: a number or a string, as the client chose.
public enum RequestID: Hashable, Sendable, Codable, CustomStringConvertible {
  case number(Int)
  case string(String)

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Int.self) {
      self = .number(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .number(let number): try container.encode(number)
    case .string(let string): try container.encode(string)
    }
  }

  public var description: String {
    switch self {
    case .number(let number): return String(number)
    case .string(let string): return "\"\(string)\""
    }
  }
}

/// A JSON-RPC error, with the codes of JSON-RPC 2.0 and LSP as named values.
public struct ResponseError: Error, Codable, Equatable, Sendable {
  public var code: Int
  public var message: String

  public init(code: Int, message: String) {
    self.code = code
    self.message = message
  }

  public static func parseError(_ message: String) -> ResponseError {
    ResponseError(code: -32700, message: message)
  }
  public static func invalidRequest(_ message: String) -> ResponseError {
    ResponseError(code: -32600, message: message)
  }
  public static func methodNotFound(_ method: String) -> ResponseError {
    ResponseError(code: -32601, message: "unknown method `\(method)`")
  }
  public static func invalidParams(_ message: String) -> ResponseError {
    ResponseError(code: -32602, message: message)
  }
  public static func internalError(_ message: String) -> ResponseError {
    ResponseError(code: -32603, message: message)
  }
  public static let serverNotInitialized = ResponseError(
    code: -32002, message: "the server is not initialized: send `initialize` first")
  public static let requestCancelled = ResponseError(code: -32800, message: "request cancelled")
  public static func requestFailed(_ message: String) -> ResponseError {
    ResponseError(code: -32803, message: message)
  }
}

/// One message from the other side, its envelope checked; params stay raw until a handler
/// decodes them into its own type.
public enum IncomingMessage: Sendable {
  case request(id: RequestID, method: String, body: Data)
  case notification(method: String, body: Data)
  case response(id: RequestID, body: Data, error: ResponseError?)

  /// Reads a message body. A failure carries the id when one could be read, for the error reply.
  public static func parse(_ body: [UInt8]) -> Result<IncomingMessage, InvalidMessage> {
    let data = Data(body)
    // The usual case, read in one pass that leaves the params to their handler; anything the
    // scan does not vouch for goes through the decoder below, which words the error.
    if let scanned = EnvelopeScanner.scan(body), scanned.jsonrpc == "2.0" {
      if let method = scanned.method {
        if let id = scanned.id { return .success(.request(id: id, method: method, body: data)) }
        if !scanned.idIsNull { return .success(.notification(method: method, body: data)) }
      } else if let id = scanned.id, scanned.hasResult || scanned.error != nil {
        let error = scanned.error.flatMap {
          try? JSONCoding.decoder.decode(ResponseError.self, from: Data(body[$0]))
        }
        if scanned.error == nil || error != nil { return .success(.response(id: id, body: data, error: error)) }
      }
    }
    let envelope: Envelope
    do {
      envelope = try JSONCoding.decoder.decode(Envelope.self, from: data)
    } catch let error as InvalidMessage {
      return .failure(error)
    } catch {
      // Only on failure: tell JSON that is not a request from bytes that are not JSON.
      if (try? JSONCoding.decoder.decode(JSONValue.self, from: data)) != nil {
        return .failure(
          InvalidMessage(id: nil, error: .invalidRequest("a message must be a JSON-RPC 2.0 object")))
      }
      var reason = "\(error)"
      if case DecodingError.dataCorrupted(let context) = error {
        reason =
          (context.underlyingError as? CustomStringConvertible)?.description ?? context.debugDescription
      }
      return .failure(InvalidMessage(id: nil, error: .parseError("the message is not valid JSON: \(reason)")))
    }
    if let method = envelope.method {
      if let id = envelope.id { return .success(.request(id: id, method: method, body: data)) }
      return .success(.notification(method: method, body: data))
    }
    if let id = envelope.id, envelope.hasResult || envelope.error != nil {
      return .success(.response(id: id, body: data, error: envelope.error))
    }
    return .failure(
      InvalidMessage(
        id: envelope.id,
        error: .invalidRequest("a message needs a `method` (request) or a `result` (response)")))
  }

  private struct Envelope: Decodable {
    var id: RequestID?
    var method: String?
    var hasResult: Bool
    var error: ResponseError?

    enum Keys: String, CodingKey { case jsonrpc, id, method, result, error }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Keys.self)
      if container.contains(.id), !(try container.decodeNil(forKey: .id)) {
        guard let id = try? container.decode(RequestID.self, forKey: .id) else {
          throw InvalidMessage(id: nil, error: .invalidRequest("`id` must be a number or a string"))
        }
        self.id = id
      }
      guard (try? container.decode(String.self, forKey: .jsonrpc)) == "2.0" else {
        throw InvalidMessage(id: id, error: .invalidRequest("`jsonrpc` must be \"2.0\""))
      }
      if container.contains(.method) {
        guard let method = try? container.decode(String.self, forKey: .method) else {
          throw InvalidMessage(id: id, error: .invalidRequest("`method` must be a string"))
        }
        self.method = method
      }
      hasResult = container.contains(.result)
      error = try? container.decodeIfPresent(ResponseError.self, forKey: .error)
    }
  }
}

/// A message that is not a usable JSON-RPC message, with the error to reply.
public struct InvalidMessage: Error, Sendable {
  public var id: RequestID?
  public var error: ResponseError
}

/// The encoder and decoder every message goes through.
public enum JSONCoding {
  public static var decoder: JSONDecoder { JSONDecoder() }

  /// The `params` of a message body, decoded as `Params`; a failure says where and why.
  public static func params<Params: Decodable>(_ type: Params.Type, from body: Data) -> Result<
    Params, ResponseError
  > {
    do {
      return .success(try decoder.decode(ParamsEnvelope<Params>.self, from: body).params)
    } catch DecodingError.dataCorrupted(let context)
      where context.codingPath.isEmpty && (try? decoder.decode(JSONValue.self, from: body)) == nil
    {
      // Not JSON at all (the envelope's scan steps over params without checking them); asked
      // only on failure, where the decoder does not tell bad JSON from a value out of range.
      let reason = (context.underlyingError as? CustomStringConvertible)?.description ?? context.debugDescription
      return .failure(.parseError("the message is not valid JSON: \(reason)"))
    } catch let error as DecodingError {
      return .failure(.invalidParams(describe(error)))
    } catch {
      return .failure(.invalidParams("invalid params: \(error)"))
    }
  }

  /// The `result` of a response body, decoded as `Result`.
  public static func result<Value: Decodable>(_ type: Value.Type, from body: Data) -> Value? {
    try? decoder.decode(ResultEnvelope<Value>.self, from: body).result
  }

  /// A reader's message for a decoding error: the JSON path and what was wrong.
  public static func describe(_ error: DecodingError) -> String {
    func path(_ codingPath: [any CodingKey]) -> String {
      // The first key is the envelope's `params` itself.
      let parts = codingPath.dropFirst().map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
      }
      return "params" + parts.joined()
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])) is required"
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)) must be \(typeName(type))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)) must be \(typeName(type)), not null"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "invalid params"
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type, is Double.Type, is UInt32.Type, is Int32.Type: return "a number"
    case is Bool.Type: return "a boolean"
    default:
      let name = String(describing: type)
      if name.hasPrefix("Array") { return "an array" }
      if name.hasPrefix("Dictionary") { return "an object" }
      return "an object"
    }
  }

  /// A whole message, encoded.
  public static func encodeResponse<Value: Encodable>(id: RequestID?, result: Value) -> [UInt8] {
    encode(ResponseMessage(id: id, result: result, error: nil))
  }

  public static func encodeError(id: RequestID?, error: ResponseError) -> [UInt8] {
    encode(ResponseMessage<JSONValue>(id: id, result: nil, error: error))
  }

  public static func encodeNotification<Params: Encodable>(method: String, params: Params) -> [UInt8] {
    encode(OutgoingRequest(id: nil, method: method, params: params))
  }

  /// A request to the client; nil params are left out (`workspace/diagnostic/refresh` has none).
  public static func encodeRequest<Params: Encodable>(id: RequestID, method: String, params: Params?)
    -> [UInt8]
  {
    encode(OutgoingRequest(id: id, method: method, params: params))
  }

  private static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
    do {
      return try StreamingJSONEncoder.encode(value)
    } catch {
      // Only a non-finite number can fail to encode; say so rather than send nothing.
      return try! StreamingJSONEncoder.encode(
        ResponseMessage<JSONValue>(id: nil, result: nil, error: .internalError("\(error)")))
    }
  }
}

private struct ParamsEnvelope<Params: Decodable>: Decodable {
  var params: Params

  enum Keys: String, CodingKey { case params }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    if container.contains(.params), !(try container.decodeNil(forKey: .params)) {
      params = try container.decode(Params.self, forKey: .params)
    } else {
      // Absent or null params read as `{}`: fine for `exit`, "params.x is required" otherwise.
      params = try JSONCoding.decoder.decode(Params.self, from: Data("{}".utf8))
    }
  }
}

private struct ResultEnvelope<Value: Decodable>: Decodable {
  var result: Value
}

private struct ResponseMessage<Value: Encodable>: Encodable {
  var id: RequestID?
  var result: Value?
  var error: ResponseError?

  enum Keys: String, CodingKey { case jsonrpc, id, result, error }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode("2.0", forKey: .jsonrpc)
    try container.encode(id, forKey: .id)
    if let error {
      try container.encode(error, forKey: .error)
    } else {
      try container.encode(result, forKey: .result)
    }
  }
}

private struct OutgoingRequest<Params: Encodable>: Encodable {
  var id: RequestID?
  var method: String
  var params: Params?

  enum Keys: String, CodingKey { case jsonrpc, id, method, params }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode("2.0", forKey: .jsonrpc)
    try container.encodeIfPresent(id, forKey: .id)
    try container.encode(method, forKey: .method)
    try container.encodeIfPresent(params, forKey: .params)
  }
}
