import Foundation
import Hummingbird
import NIOCore

/// Decodes Lead API JSON request bodies, refusing bad ones with a 400 naming the field.
enum APIBody {
    /// Largest accepted request body.
    static let maxBytes = 64 * 1024

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.badBody("larger than \(maxBytes) bytes")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badBody(describe(error))
        }
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
