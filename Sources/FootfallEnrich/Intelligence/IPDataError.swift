/// Why an IP-data file was refused. Every case names the file and where in it the
/// problem is, so the operator can fix the file; the data already active stays active.
public enum IPDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CSV or custom-range line that cannot be used.
    case invalidLine(file: String, line: Int, reason: String)
    /// Two ranges that partly overlap.
    case overlappingRanges(file: String, RangeOverlapError)
    /// An MMDB file that libmaxminddb refuses or whose search tree / data section is broken.
    case invalidDatabase(file: String, offset: Int?, reason: String)
    /// A file with no usable ranges at all.
    case noRanges(file: String)
    /// The file cannot be read or written.
    case io(file: String, reason: String)
    /// `--format` names no known format, or it cannot be guessed from the file.
    case unknownFormat(String)
    /// A custom-range file must belong to a tenant.
    case tenantRequired

    public var description: String {
        switch self {
        case .invalidLine(let file, let line, let reason): "\(file): line \(line): \(reason)"
        case .overlappingRanges(let file, let overlap): "\(file): \(overlap)"
        case .invalidDatabase(let file, let offset, let reason):
            "\(file): \(offset.map { "at byte offset \($0): " } ?? "")\(reason)"
        case .noRanges(let file): "\(file): contains no ranges"
        case .io(let file, let reason): "\(file): \(reason)"
        case .unknownFormat(let format): "unknown IP data format '\(format)' (use mmdb, csv or custom)"
        case .tenantRequired: "custom ranges belong to a tenant: pass --tenant"
        }
    }
}
