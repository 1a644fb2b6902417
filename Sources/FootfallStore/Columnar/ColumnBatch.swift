/// Rows of visits (hot or from one segment) as the columns a query asked for.
///
/// Hot visits and decoded segments take the same form, so every query is one loop over
/// batches and sees hot and cold data as one.
public struct ColumnBatch: Sendable {
    /// The segment the batch was read from; nil for hot rows.
    public var segmentID: Int64?
    public var rowCount: Int
    var integerColumns: [String: [Int64]] = [:]
    var stringColumns: [String: DictionaryColumn] = [:]

    init(segmentID: Int64?, rowCount: Int) {
        self.segmentID = segmentID
        self.rowCount = rowCount
    }

    /// Hot visits as a batch holding every visit column.
    init(hot segment: ColumnSegment) {
        self.init(segmentID: nil, rowCount: segment.rowCount)
        for (name, values) in segment.columns { set(name, values) }
    }

    mutating func set(_ name: String, _ values: ColumnValues) {
        switch values {
        case .integers(let integers): integerColumns[name] = integers
        case .strings(let strings): stringColumns[name] = DictionaryColumn(strings)
        case .reals: break  // no visit column is real
        }
    }

    /// An integer column; empty when it was not read.
    func integers(_ name: String) -> [Int64] { integerColumns[name] ?? [] }
    /// A string column; empty when it was not read.
    func strings(_ name: String) -> DictionaryColumn { stringColumns[name] ?? DictionaryColumn(dictionary: [], codes: []) }
}
