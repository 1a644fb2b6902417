import Foundation
import Hummingbird
import NIOCore

/// A request body whose fields are exactly the cases of its `CodingKeys`: a body naming any
/// other field is refused (a misspelt `expires` must not silently make a key that never expires).
protocol ClosedRequestBody: Decodable {
    associatedtype CodingKeys: CodingKey, CaseIterable, RawRepresentable where CodingKeys.RawValue == String
}

/// Decodes Lead API JSON request bodies, refusing bad ones with a 400 naming the field.
enum APIBody {
    /// Largest accepted request body.
    static let maxBytes = 64 * 1024

    /// - Throws: ``APIError`` 400 when the body is too large, not JSON, of the wrong shape, or
    ///   holds a NUL character (U+0000) in any string: storage cannot keep it.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        try decode(type, data: try await collect(request), fields: nil)
    }

    /// ``decode(_:from:)`` that also refuses top-level fields `Value` does not have.
    static func decode<Value: ClosedRequestBody>(_ type: Value.Type, from request: Request) async throws -> Value {
        try decode(type, data: try await collect(request), fields: Value.CodingKeys.allCases.map(\.rawValue))
    }

    /// The whole body, at most `limit` bytes.
    /// - Throws: ``APIError`` 400 when it is larger.
    static func collect(_ request: Request, limit: Int = maxBytes) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.badBody("larger than \(limit) bytes")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, data: Data, fields: [String]?) throws -> Value {
        if let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            if let place = nulCharacter(in: json) { throw APIError.badBody("\(place) contains a NUL character (U+0000)") }
            if let fields, let object = json as? [String: Any],
               let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
                throw APIError.badBody("unknown field '\(unknown)' (expected: \(fields.joined(separator: ", ")))")
            }
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badBody(describe(error))
        }
    }

    /// Where a decoded JSON value holds U+0000 in a string or a key ("field 'a.b'"), if anywhere.
    static func nulCharacter(in value: Any, path: String = "") -> String? {
        let here = path.isEmpty ? "the body" : "field '\(path)'"
        switch value {
        case let text as String:
            return text.utf8.contains(0) ? here : nil
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let place = nulCharacter(in: element, path: "\(path)[\(index)]") { return place }
            }
        case let object as [String: Any]:
            for (key, element) in object {
                let inner = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) { return here }
                if let place = nulCharacter(in: element, path: inner) { return place }
            }
        default:
            break
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let names = (path + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the body" : "field '" + names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(field(context.codingPath, key)) is required"
        case .typeMismatch(let type, let context): return "\(field(context.codingPath)) must be \(jsonName(of: type))"
        case .valueNotFound(let type, let context): return "\(field(context.codingPath)) must be \(jsonName(of: type)), not null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "invalid"
        }
    }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is [String].Type, is [Any].Type: "an array"
        default: "an object"
        }
    }
}
