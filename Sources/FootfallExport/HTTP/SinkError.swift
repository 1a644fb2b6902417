/// Why a target confirmed nothing of a request, worded for the export's summary.
public enum SinkError: Error, Equatable, CustomStringConvertible {
    /// The target answered with an error status that retrying cannot fix (4xx but 429),
    /// or a retryable one on the last attempt. `body` is the start of the target's answer.
    case rejected(status: Int, body: String)
    /// The connection failed or timed out on every attempt.
    case unreachable(String)
    /// The target's answer was not what its documentation says.
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .rejected(let status, let body): "target answered \(status): \(body)"
        case .unreachable(let reason): "target unreachable: \(reason)"
        case .unexpectedResponse(let reason): "unexpected answer from target: \(reason)"
        }
    }
}
