/// Product-token names (`Edg`, `SamsungBrowser`, `Chrome`) ranked by precedence, looked up
/// exactly and case-sensitively.
///
/// Names are bucketed by first byte, so classifying a UA compares each of its few product
/// tokens with the few names sharing that byte, instead of scanning the tokens once per name.
struct ProductTable: Sendable {
    private let names: [[UInt8]]
    private let buckets: [[Int]]

    /// - Parameter names: product names, most specific (highest precedence) first.
    init(_ names: [String]) {
        self.names = names.map { Array($0.utf8) }
        var buckets = [[Int]](repeating: [], count: 256)
        for (rank, name) in self.names.enumerated() {
            precondition(!name.isEmpty)
            buckets[Int(name[0])].append(rank)
        }
        self.buckets = buckets
    }

    /// The rank of `name` (its index in the table), or nil when the table does not hold it.
    func rank(of name: ArraySlice<UInt8>) -> Int? {
        guard let first = name.first else { return nil }
        return buckets[Int(first)].first { names[$0].count == name.count && names[$0].elementsEqual(name) }
    }

    /// The product of `tokens` with the best (lowest) rank and a version, and that rank.
    func best(in tokens: UserAgentTokens) -> (product: UserAgentTokens.Product, rank: Int)? {
        var best: (product: UserAgentTokens.Product, rank: Int)?
        for product in tokens.products where !product.version.isEmpty {
            if let rank = rank(of: product.name), rank < (best?.rank ?? Int.max) { best = (product, rank) }
        }
        return best
    }
}
