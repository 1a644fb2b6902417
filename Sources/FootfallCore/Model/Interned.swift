/// One immutable value held once and shared by reference (see ``InternTable``).
final class Interned<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// Hands out one ``Interned`` object per distinct value, so equal values held in many places
/// take the memory of one.
struct InternTable<Value: Hashable & Sendable>: Sendable {
    private var objects: [Value: Interned<Value>] = [:]

    /// Number of distinct values held.
    var count: Int { objects.count }

    /// The object holding `value`, made on first use.
    mutating func interned(_ value: Value) -> Interned<Value> {
        if let object = objects[value] { return object }
        let object = Interned(value)
        objects[value] = object
        return object
    }

    /// Forgets the values nothing but this table holds any more.
    mutating func releaseUnused() {
        var unused: [Value] = []
        var index = objects.startIndex
        while index != objects.endIndex {
            // Through the dictionary's own storage (no copy of it), so the count is the holders'.
            if isKnownUniquelyReferenced(&objects.values[index]) { unused.append(objects.keys[index]) }
            objects.formIndex(after: &index)
        }
        for value in unused { objects[value] = nil }
    }
}
